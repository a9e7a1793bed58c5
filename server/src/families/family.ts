/**
 * A hook family is the unit of the design: everything about it is declared here, as data and
 * optional capabilities, by one folder under server/src/families/<id>/ and one line in
 * registry.ts. The core (completion, hover, lenses, ShellCheck, watchers, the simulator, the CLI)
 * and the generated parts of package.json read these declarations; nothing else names a family.
 */
import type { KeyValueSyntax, ParsedConfig } from '../config/keyValue';
import type { Finding, RelatedPlace, RuleRecord } from '../diagnostics';
export type { RelatedPlace };
import type { Fixer } from '../lsp/codeActions';
import type { FileOperation } from '../lsp/fileOperations';
import type { FromTask, ProvidedTask, RequestSpec, SimulationReport, SimulationRequest, TargetAnswer, TargetParams } from '../protocol';
import type { ShellcheckPlan } from '../shellcheck/plan';
import type { HookCompletion } from '../hooks/completion';
import type { HookHover } from '../hooks/hover';
import type { SimulationHooks } from '../simulate/simulationHooks';

/** How a family's runner runs a hook. */
export type RunModel =
  | 'executable' // exec'd as a file: shebang, execute bit (AnyConnect, ocserv, OpenVPN, NetworkManager)
  | 'shell-command' // a command line run by sh -c (vpnc-script's --script)
  | 'sourced' // read into the caller's shell with `.` (vpnc-script's hook folders)
  | 'function-body' // pasted into a generated sh script as a function body (Shorewall run-time)
  | 'evaluated' // a line eval'd by the caller's shell (wg-quick PostUp)
  | 'perl-compile-time' // evaluated by the Perl compiler, must return true (Shorewall compile-time)
  | 'cli-tool' // run by the command-line tools, not the firewall script (Shorewall save, scfilter)
  | 'library'; // functions loaded by other hooks (Shorewall lib.private)

/**
 * The editor language of a hook written for a run model: what a hook that opened as Plain Text
 * (no #! line, no extension) is switched to, for highlighting and snippets.
 */
export function editorLanguage(runModel: RunModel): string {
  return runModel === 'perl-compile-time' ? 'perl' : 'shellscript';
}

export interface EnvVar {
  readonly name: string;
  readonly meaning: string;
  /** A realistic value for simulations and docs. */
  readonly mock: string;
  /** The events that set it, when not every event of the hook does ("disconnect" for STATS_*): completion and hover say so. */
  readonly setOn?: readonly string[];
  /**
   * A family of names rather than one (`DHCP6_<OPTION>`: one variable per option of the lease): the names it stands for, whole.
   * Hover explains a name it matches that has no entry of its own; completion and simulations leave it out (no name to give).
   */
  readonly pattern?: RegExp;
}

export interface HookSpec {
  /** Canonical name: 'OnConnect', 'isusable', ... */
  readonly name: string;
  readonly description: string;
  readonly runModel: RunModel;
  /** Commands or events that run it, in the family's words. */
  readonly runBy: readonly string[];
  readonly env: readonly EnvVar[];
  /** Removed from the real system, with the version. */
  readonly removedIn?: string;
  /** What its exit status means to what runs it ("0: the interface is usable; anything else: not usable"), when it matters. */
  readonly exitStatus?: string;
}

/** A function a family gives its hooks: where it exists, how it is called, what it does. */
export interface HookFunction {
  readonly name: string;
  readonly signature: string;
  readonly doc: string;
  /** The hooks that can call it, by how they run. */
  readonly runModels: readonly RunModel[];
  /** Snippet syntax. */
  readonly snippet: string;
}

/** A file on disk (or an open document) as the hook rules see it. */
export interface HookFile {
  readonly path: string;
  readonly text: string;
  /** POSIX permission bits; undefined when unknown (untitled documents, Windows). */
  readonly mode: number | undefined;
  /** Names of the files in the same folder, this one included. */
  readonly siblings: readonly string[];
  /** The text of a file in the same folder, or undefined when it cannot be read. */
  readonly readSibling: (name: string) => string | undefined;
  /** The file on disk starts with a UTF-8 byte-order mark that `text` lacks (editors strip it from the text). */
  readonly bomOnDisk?: boolean;
}

/** What a family made of a file name. */
export interface Recognized {
  readonly family: HookFamily;
  readonly hook: HookSpec;
  /** The config keys that name this file (recognised through a config document), if any. */
  readonly wiredBy?: readonly WiredHook[];
}

/** A file of the workspace standing for a path a config document names, and how it was found. */
export interface LocatedFile {
  readonly file: string;
  /** by the path itself (in a workspace folder), by its base name beside the config, or through hooksmith.hooks.serverPaths. */
  readonly how: 'path' | 'beside' | 'mapping';
  /** POSIX permission bits; undefined when unknown. */
  readonly mode: number | undefined;
}

/** What the core gives a config document's rules: where server paths are in the workspace, and the profile validator. */
export interface ConfigContext {
  /** The config document's own path. */
  readonly file: string;
  /** A path the config names (absolute on the server, or relative to the config), found in the workspace. */
  locate(serverPath: string): LocatedFile | undefined;
  /** Where locate looked, for a message: "deploy/ocserv/connect.sh, connect.sh beside ocserv.conf". */
  lookedFor(serverPath: string): string;
  /** The problems of a file validated as an AnyConnect profile, each as a place in that file. */
  profileProblems(
    file: string,
  ): { readonly errors: number; readonly warnings: number; readonly places: readonly RelatedPlace[] } | undefined;
}

/** One hook a config document wires: its key names a script. */
export interface WiredHook {
  readonly family: HookFamily;
  readonly hook: HookSpec;
  readonly config: string;
  readonly key: string;
  /** The path as the config writes it. */
  readonly serverPath: string;
  /** Where it is in the workspace, when found. */
  readonly file: string | undefined;
  /** What else the family read from the config that changes how the hook runs (ocserv: its restrictions). */
  readonly facts?: Readonly<Record<string, unknown>>;
}

/**
 * A configuration file a family reads (ocserv.conf; OpenVPN's and wg-quick's next): recognised by
 * name or content, parsed by the core's line-based key/value reader (config/keyValue.ts), linted
 * by the family's rules, and telling the core which hooks it wires. The core (server, CLI lint,
 * workspace scan, recognition) handles it without naming the family.
 */
export interface ConfigDocumentType {
  readonly id: string;
  readonly displayName: string;
  /** Globs for watchers and the document selector. */
  readonly candidates: readonly string[];
  readonly syntax: KeyValueSyntax;
  /**
   * A file that only names hooks (a systemd unit or a wrapper script that starts the runner): it is
   * read for its wiring alone, never linted or shown as a config document, and stays whatever else it is.
   */
  readonly wiresOnly?: boolean;
  /** By its path, or by its first 8 KB when the name does not say. */
  recognize(file: string, head: string): boolean;
  /** The family's findings on the parsed document (the core reports unreadable lines, binary and size itself). */
  lint(config: ParsedConfig, ctx: ConfigContext): Finding[];
  /** The hooks its keys name. */
  wiring(config: ParsedConfig, ctx: ConfigContext): WiredHook[];
  /** CodeLenses in the document (over the keys that name scripts). */
  lenses?(config: ParsedConfig, file: string): SimulationLens[];
  /** Completion at an offset (keys, and what the values take), in the hooks' completion shape. */
  completion?(config: ParsedConfig, offset: number): HookCompletion[];
  /** Hover at an offset: a key, or a word of a value; `file` is the document's path (wg-quick's interface is its name). */
  hover?(config: ParsedConfig, offset: number, file?: string): HookHover | undefined;
  /**
   * How ShellCheck reads the shell its values hold (wg-quick's PostUp lines), mapped back into the document; the shell parser is loaded.
   */
  shellcheckPlan?(config: ParsedConfig): ShellcheckPlan | undefined;
}

/**
 * The file patterns an editor needs, as globs: the watcher, the document selector, activation.
 * Recognition itself (recognize()) decides; these only make sure the files reach it.
 */
export interface FamilyFiles {
  /** Every path that may be one of the family's hooks, case variants and near misses included (watchers, document selector). */
  readonly candidates: readonly string[];
  /** Files whose presence in a workspace means hooks to scan (activation, the client's first look). */
  readonly markers: readonly string[];
  /** A folder mapping to show in the hooks.families setting's description: "**\/firewall/hooks". */
  readonly mappingExample: string;
  /**
   * The editor languages the family's files can open as (VS Code language ids: "shellscript", a
   * hook without #! or extension opens as "plaintext", an ocserv.conf as "properties"...): the
   * client hands documents of these languages to the server, which decides what they are.
   */
  readonly languages: readonly string[];
}

/** A snippet the family contributes to an editor language; `npm run sync:manifest` writes snippets/<language>.json. */
export interface FamilySnippet {
  /** VS Code language id: "shellscript", "perl", "bat"... */
  readonly language: string;
  /** Its key in the snippets file, as the suggest list shows it: "Route: add (Linux)". */
  readonly name: string;
  readonly prefix: string;
  readonly description: string;
  /** Lines, in VS Code's snippet syntax. */
  readonly body: readonly string[];
}

/** A place in a document where a simulation can be started, and the complete request it starts. */
export interface SimulationLens {
  /** Offsets of what the lens sits over. */
  readonly start: number;
  readonly end: number;
  readonly title: string;
  readonly request: SimulationRequest;
}

/** A VS Code command a family contributes (simulate this family), with where it shows. */
export interface FamilyCommand {
  readonly command: string;
  readonly title: string;
  /** Shown in the editor title bar of the family's hooks (and of profiles, when `profiles`). */
  readonly editorTitle?: boolean;
  /** Shown in the explorer's context menu on the family's hooks (and on folders holding them, when `folders`). */
  readonly explorer?: { readonly group: string; readonly folders?: boolean };
  /** Also on AnyConnect profiles (the profile's family). */
  readonly profiles?: boolean;
  /** Its entry in Run Hooks for Real's list. */
  readonly liveLabel: string;
  /** The fields the command's requests start with (the events it fires). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** A family's simulator: the fields its requests take, and the run of a checked request. */
export interface FamilySimulation {
  readonly request: RequestSpec;
  /** The request in the family's words, for progress titles: "connect then disconnect", "shorewall start". */
  describe(request: SimulationRequest): string;
  /**
   * The timeout of the software that runs the family's hooks (NetworkManager kills a dispatcher
   * script after 600 s), in ms: a request that names none gets it instead of the generic
   * hooksmith.simulate.timeoutSeconds, wherever it enters (CLI, LSP, hook tests).
   */
  readonly defaultTimeoutMs?: number;
  /** Runs a request already checked (and given its defaults) where it entered. */
  run(request: SimulationRequest, hooks: SimulationHooks): Promise<SimulationReport>;
  /** `hooksmith simulate <word> ...`: the first words that choose this family, and the parse of the rest. */
  readonly cli: FamilyCli;
  /** The task definition's `simulate` values this family takes (package.json, generated). */
  readonly taskKinds: readonly string[];
  /** The request one of the family's commands starts (from its args, the menu's resource, the active file), or what to ask. */
  target(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer>;
  /** Ready tasks for the workspace's profiles and hook folders. */
  tasks(ctx: TargetContext): Promise<ProvidedTask[]>;
  /** A task definition whose `simulate` is one of taskKinds as a request; `common` holds the fields every request reads alike. */
  fromTask(
    def: Readonly<Record<string, unknown>>,
    common: Readonly<Record<string, unknown>>,
    resolve: (p: unknown) => string | undefined,
  ): FromTask;
}

/** What a family's target and task functions may ask of the server. */
export interface TargetContext {
  /** The workspace folders. */
  readonly roots: readonly string[];
  /** The path as a person reads it: relative to its workspace folder. */
  relative(file: string): string;
  /** A path a keybinding or task gave, resolved against the first workspace folder. */
  resolve(p: unknown): string | undefined;
  /** Whether a file is an AnyConnect profile (its language, hooksmith.profile.files, or its root element). */
  isProfile(file: string): Promise<boolean>;
  /** The family and hook a file is, as the server recognises it (with hooksmith.hooks.families). */
  recognize(file: string): Promise<Recognized | undefined>;
  /** Files of the workspace (first `max`) that `accept` takes, by name first, then by path. */
  findFiles(accept: (name: string, file: string) => boolean | Promise<boolean>, max: number): Promise<string[]>;
}

/** The CLI's view of a family's simulation. */
export interface FamilyCli {
  /** First words of `hooksmith simulate` that are this family's: events, `sequence`, the family id. */
  readonly words: readonly string[];
  /** The usage lines and the options section for `hooksmith simulate --help`. */
  readonly usage: readonly string[];
  readonly options: string;
  /**
   * The request from the first word, the rest of argv, and the common option parser (which takes
   * this family's own flags, each setting a field).
   */
  parse(word: string, rest: readonly string[], options: CliOptions): { readonly request: SimulationRequest; readonly json: boolean };
}

/** Parses the common flags plus the family's own, `--x V` or `--x=V`. */
export type CliOptions = (
  argv: readonly string[],
  own: Readonly<Record<string, (value: string, fields: Record<string, unknown>) => unknown>>,
) => { fields: Record<string, unknown>; json: boolean };

export interface HookFamily {
  readonly id: string;
  readonly displayName: string;
  /** The software that runs the hooks, as messages name it: "Shorewall". */
  readonly product: string;
  readonly hooks: readonly HookSpec[];
  readonly files: FamilyFiles;
  /**
   * The family's runner skips a hook that is a symbolic link to /dev/null (how a packaged script is
   * masked, as NetworkManager's dispatcher does): lint and the workspace scan leave such links alone
   * instead of reporting a file they cannot read.
   */
  readonly skipsLinksToDevNull?: boolean;
  /** Configuration files of the family's own that are linted and wire hooks (ocserv.conf). */
  readonly configs?: readonly ConfigDocumentType[];
  /** The Recognized for a file config documents wire (several keys may name one script); default: the first key's hook. */
  recognizeWired?(file: string, wired: readonly WiredHook[]): Recognized;
  /** The hook this file is, or a near miss of, given its path and folder; `forced` when a setting maps the folder to this family. */
  recognize(path: string, siblings: readonly string[], forced: boolean): Recognized | undefined;
  /** Naming, file and content findings for one hook file (the shell parser is loaded). */
  lint(file: HookFile, recognized: Recognized): Finding[];
  /** The rules the family owns: code, title, severity, summary, fix (see diagnostics.ts). */
  readonly rules: readonly RuleRecord[];
  /**
   * Creates on disk a script one of the family's fixes offers (its arguments as the fix's command carries them), for clients that cannot
   * create files.
   */
  createScript?(args: readonly unknown[]): FileOperation;
  /** Fixes for rules another owner reports (a profile's missing script, created from the family's template). */
  readonly fixers?: Readonly<Record<string, Fixer>>;
  /** How the docs index says which files are the family's hooks. */
  readonly recognitionDoc: string;
  /** Functions the hooks can call, for completion and hover. */
  readonly functions?: readonly HookFunction[];
  /**
   * What `$1`, `$2` ... hold when the runner starts this hook (the first entry is `$1`), as Markdown:
   * hover over `$N` and completion after `$` show it. Past the end the runner passes nothing.
   */
  positionalArgs?(recognized: Recognized): readonly string[];
  /** What each run model means for this family's hooks (hover); the generic sentence otherwise. */
  readonly runModelDocs?: Partial<Readonly<Record<RunModel, string>>>;
  /** A "runs on" entry as the family writes it: "shorewall start". */
  runByText?(runBy: string): string;
  /** CodeLenses at the top of one of the family's hooks. */
  hookLenses?(file: string, recognized: Recognized): SimulationLens[];
  /** CodeLenses in an AnyConnect profile (for the family whose hooks a profile runs). */
  profileLenses?(text: string, file: string): SimulationLens[];
  /** How ShellCheck reads a hook; undefined: not checked (Perl, Windows scripts). */
  shellcheckPlan?(recognized: Recognized, file: string, text: string): ShellcheckPlan | undefined;
  readonly simulation?: FamilySimulation;
  /** The family's VS Code commands (package.json, generated). */
  readonly commands?: readonly FamilyCommand[];
  /** Snippets for editors (snippets/*.json and package.json, generated). */
  readonly snippets?: readonly FamilySnippet[];
}

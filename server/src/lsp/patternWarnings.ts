import { Connection, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { refusedPatterns } from '../globs/globProblem';
import { Settings } from '../settings';

/**
 * Says once per pattern, in a message window and in the log, that a hooks.families or
 * profile.files pattern is over the caps and ignored. The settings come from the repository
 * (.vscode/settings.json) and are not restricted, so they reach an untrusted workspace too.
 */
export function patternWarnings(connection: Pick<Connection, 'console' | 'sendNotification'>): (settings: Settings) => Settings {
  const said = new Set<string>();
  return (settings) => {
    for (const message of refusedPatterns(settings)) {
      if (said.has(message)) continue;
      said.add(message);
      connection.console.warn(message);
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
    }
    return settings;
  };
}

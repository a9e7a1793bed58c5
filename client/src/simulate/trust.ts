import * as vscode from 'vscode';

export const untrustedReason =
  'Restricted Mode: running hook scripts needs a trusted workspace. Validation still works here; simulation runs ' +
  "the workspace's scripts, so it waits until you trust the workspace.";

/** Says why nothing ran, with a button to the trust editor; does not wait for the user. */
export function refuseUntrusted(): undefined {
  void vscode.window.showWarningMessage(`Hooksmith: ${untrustedReason}`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return undefined;
}

/** A modal question; true only when the user picked "Run for Real". */
export async function confirmLive(what: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `Run ${what} for real?`,
    {
      modal: true,
      detail:
        "Without the dry-run shims, the hooks' commands (ip, iptables, mount, systemctl, …) change this machine, with " +
        "your user's rights. A dry run records them instead.",
    },
    'Run for Real',
  );
  return choice === 'Run for Real';
}

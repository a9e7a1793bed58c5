import { Connection, InitializeParams } from 'vscode-languageserver';
import { notifications } from '../protocol';

/**
 * Whether the workspace is trusted, as the client says: `workspaceTrusted` in
 * initializationOptions, then the hooksmith/workspaceTrust notification. Trusted unless told
 * otherwise (clients without Restricted Mode). One owner of the notification, for the
 * simulator and ShellCheck both.
 */
export class WorkspaceTrust {
  private value = true;
  private readonly listeners: (() => void)[] = [];

  constructor(connection: Pick<Connection, 'onNotification'>) {
    connection.onNotification(notifications.workspaceTrust, (p: { trusted?: unknown }) => {
      this.value = p?.trusted === true;
      for (const listener of this.listeners) listener();
    });
  }

  initialize(params: InitializeParams): void {
    this.value = (params.initializationOptions as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted !== false;
  }

  get trusted(): boolean {
    return this.value;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

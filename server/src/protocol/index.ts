/**
 * What both sides of the wire need, once (vscode-eslint's $shared is the model): the client, the
 * server and the CLI import it; it imports nothing else of the server.
 */
export * from './commands';
export * from './generated';
export * from './report';
export * from './request';
export * from './simulateSettings';
export * from './targets';

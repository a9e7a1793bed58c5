/**
 * The file system's refusals (ENOENT, EACCES, EISDIR...) are I/O errors, exit 2, with a message;
 * any other exception is a bug and must reach the internal-error handler (exit 3).
 */
export function rethrowUnlessIo(e: unknown): NodeJS.ErrnoException {
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') return e;
  throw e;
}

import { simulateBounds } from '../protocol';
import { UsageError } from './usageError';

/** The values a simulate flag takes; a bad one is a UsageError naming the flag. */
export function milliseconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 3_600_000)
    throw new UsageError(`${flag} must be a whole number of milliseconds from 0 to 3600000, not '${value}'.`);
  return n;
}

/** --timeout S: seconds (a fraction too), at most the setting's maximum. */
export function seconds(value: string): number {
  const n = Number(value);
  const max = simulateBounds.timeoutSeconds.maximum;
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(
      `--timeout must be a number of seconds more than 0 and at most ${max} (0.5 is allowed, 0 is not), not '${value}'.`,
    );
  return Math.round(n * 1000);
}

export function boolean(flag: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw new UsageError(`${flag} must be true or false, not '${value}'.`);
  return value === 'true';
}

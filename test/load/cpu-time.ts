/**
 * The CPU time Linux counted for a process or one of its threads, from /proc: what the load
 * tools divide by requests or cases, a measure that holds on a shared machine.
 */
import { readFileSync } from 'node:fs';

/**
 * User plus system CPU time in microseconds (fields 14 and 15) of a stat file:
 * `/proc/<pid>/stat` for a process, `/proc/<pid>/task/<tid>/stat` for one of its threads.
 */
export function cpuMicros(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / 100; // USER_HZ is 100 on Linux
}

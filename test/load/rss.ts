/**
 * The memory of another process (the server), from Linux's /proc: resident set size sampled
 * every `everyMs`, and the kernel's own high-water mark (VmHWM, the peak over the process's
 * whole life, which the samples cannot miss between two reads).
 */
import { readFileSync } from 'node:fs';

const MB = 1024;

/** VmRSS and VmHWM of `pid` in MB, or undefined where /proc cannot be read (not Linux). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / MB), hwmMb: Math.round(kb('VmHWM') / MB) };
  } catch {
    return undefined;
  }
}

/** Samples `pid`'s resident memory until `stop()`, which returns the peak sampled and the start. */
export function sampleRss(pid: number, everyMs = 100) {
  const first = memoryOf(pid);
  let peak = first?.rssMb ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, memoryOf(pid)?.rssMb ?? 0)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = memoryOf(pid);
      peak = Math.max(peak, last?.rssMb ?? 0);
      return { startMb: first?.rssMb, peakMb: peak, endMb: last?.rssMb, hwmMb: last?.hwmMb };
    },
  };
}

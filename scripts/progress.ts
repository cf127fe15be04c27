/**
 * A progress bar on stderr (items, rate, ETA), so stdout stays the command's result (`--json`).
 * On a terminal it redraws one line; otherwise it prints a line per quarter, and at the end.
 */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 24;

const duration = (seconds: number) =>
  !Number.isFinite(seconds)
    ? '?'
    : seconds < 60
      ? `${Math.ceil(seconds)}s`
      : `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;

export const createProgressBar = (
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressBar => {
  const started = now();
  let lastQuarter = -1;
  let last = { done: 0, total: 0 };
  const line = (done: number, total: number) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const share = total > 0 ? done / total : 1;
    const filled = Math.round(share * WIDTH);
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${rate.toFixed(0)}/s  ETA ${done >= total ? '0s' : duration(eta)}`;
  };
  return {
    update(done, total) {
      last = { done, total };
      if (stream.isTTY) {
        stream.write(`\r${line(done, total)}\u001b[K`);
        return;
      }
      const quarter = total > 0 ? Math.floor((done / total) * 4) : 4;
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        stream.write(`${line(done, total)}\n`);
      }
    },
    finish() {
      stream.write(
        `${stream.isTTY ? '\r' : ''}${line(last.done, last.total)}${stream.isTTY ? '\u001b[K' : ''}\n`,
      );
    },
  };
};

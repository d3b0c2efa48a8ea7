/** A one-line progress bar on a terminal; on a pipe, a line every 10%. */
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastDecile = -1;
  return {
    update(fraction: number, detail = '') {
      const pct = Math.min(100, Math.floor(fraction * 100));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${detail} ${seconds}s `);
      } else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        out.write(`${label} ${pct}% ${detail} ${seconds}s\n`);
      }
    },
    done() {
      if (out.isTTY) out.write('\n');
    },
  };
}

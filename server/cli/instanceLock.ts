import fs from 'node:fs';
import path from 'node:path';

// One Klankbord per data directory: a second `klankbord start` on the same embedded database would
// reset the demo passwords and re-point the running instance's demo feed. The lock file holds the
// pid; a lock whose process is gone is taken over.
export type InstanceLock = { release: () => void };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function lockDataDir(dataDir: string, pid = process.pid): InstanceLock | { heldBy: number } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'klankbord.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(pid), { flag: 'wx', mode: 0o600 });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) return { heldBy: holder };
      fs.rmSync(file, { force: true }); // left behind by a process that is gone
    }
  }
  return { heldBy: Number(fs.readFileSync(file, 'utf8').trim()) };
}

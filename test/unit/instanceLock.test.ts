import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { lockDataDir } from '../../server/cli/instanceLock.ts';

// One Klankbord per data directory (issue 17): a second start is refused with the holder's pid.
test('a second instance on the same data directory is refused; a lock left by a dead process is taken over', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-lock-'));
  try {
    const first = lockDataDir(dir);
    expect('release' in first).toBe(true);
    // another process (this test's parent stands in for it: it is alive) finds the lock taken
    expect(lockDataDir(dir, process.ppid)).toEqual({ heldBy: process.pid });
    if ('release' in first) first.release();
    // a lock file naming a process that is gone does not block
    fs.writeFileSync(path.join(dir, 'klankbord.pid'), '999999999');
    const again = lockDataDir(dir);
    expect('release' in again).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'klankbord.pid'), 'utf8')).toBe(String(process.pid));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

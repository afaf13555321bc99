import { expect, test } from 'vitest';
import { clearJobMark, jobDone } from '../../server/db/jobState.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import { JOBS } from '../../workers/jobs.ts';
import { processItems } from '../../workers/pipeline.ts';
import { eduLeyFixture } from '../support/seed.ts';

// Issue 18: an idle worker does not rescan the mentions table to learn it has nothing to do: a
// finished re-classification pass is remembered per classifier version.
const { db, source, meander } = await eduLeyFixture();
const at = new Date('2026-04-01T09:00:00Z');
const { ids } = await processItems(
  db,
  source,
  [
    {
      externalId: 'x1',
      url: 'https://forum.example.nl/x1',
      title: '',
      text: 'Leuk feest op De Meander.',
      author: null,
      publishedAt: at,
    },
  ],
  { schoolIds: [meander], now: at },
);
const reclassify = JOBS.find((j) => j.name === 'reclassify')!;

test('a finished pass is remembered per classifier version, and the mark is what makes it skip', async () => {
  expect(await jobDone(db, 'reclassify')).toBeUndefined();
  expect(await reclassify.run(db)).toBeUndefined(); // nothing to do: every mention has CLASSIFIER
  expect(await jobDone(db, 'reclassify')).toBe(CLASSIFIER);
  // with the mark, a missing classification is not even looked for …
  await db.deleteFrom('classifications').where('mention_id', '=', ids[0]).execute();
  expect(await reclassify.run(db)).toBeUndefined();
  // … until the mark goes (a new classifier version, or an erasure, which clears it)
  await clearJobMark(db, 'reclassify');
  expect(await reclassify.run(db)).toEqual({ reclassified: 1, classifier: CLASSIFIER });
  expect(await reclassify.run(db)).toBeUndefined();
  expect(await jobDone(db, 'reclassify')).toBe(CLASSIFIER);
  await db.updateTable('job_state').set({ value: 'v2.3' }).where('name', '=', 'reclassify').execute();
  expect(await reclassify.run(db)).toBeUndefined(); // a pass for the new version found nothing left
  expect(await jobDone(db, 'reclassify')).toBe(CLASSIFIER);
});

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPosts } from '../../server/demo/mentions.ts';
import { labelMention, rememberedReadings, type Labelling } from '../../workers/labelling.ts';
import {
  IN_PLACE_BELOW,
  labelMentions,
  labelMessage,
  labelThreadCount,
  stopLabelThreads,
} from '../../workers/labelThreads.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';

const NOW = new Date('2026-03-10T10:00:00Z');
const FACTS = ['De school heeft 420 leerlingen.', 'De school is op woensdagmiddag gesloten.'];

// The demo's posts (threats, personal data, inaccuracies against the fact sheet, praise) under every
// preset, with media on some: what the pipeline hands the threads.
const labellings: Labelling[] = demoPosts.flatMap((p, i) =>
  PRESET_IDS.map((id, k) => ({
    title: p.title,
    body: p.text,
    facts: i % 2 ? FACTS : [],
    preset: loadPreset(id),
    sourceKind: k % 2 ? 'rss' : 'mastodon',
    media: i % 3 ? [] : [{ type: 'image' as const, url: 'https://media.example/foto.jpg' }],
    now: NOW,
  })),
);

afterAll(stopLabelThreads);

describe('classification threads', () => {
  it('label every mention exactly as labelMention does, in order', async () => {
    expect(labellings.length).toBeGreaterThan(100);
    const expected = labellings.map(labelMention);
    expect(expected.some((l) => l.risks.some((r) => r.type === 'threat'))).toBe(true);
    expect(expected.some((l) => l.actions.length > 0)).toBe(true);
    expect(await labelMentions(labellings, 2)).toEqual(expected);
    // a batch smaller than the threads' chunk, and one labelled in place
    expect(await labelMentions(labellings.slice(3, 3 + IN_PLACE_BELOW), 1)).toEqual(
      expected.slice(3, 3 + IN_PLACE_BELOW),
    );
    expect(await labelMentions(labellings.slice(0, 2), 1)).toEqual(expected.slice(0, 2));
  });

  it('read a story’s copies once, but by their own fact sheet and clock', async () => {
    // the same words, again and again: once against a fact sheet they contradict, once without one,
    // and at two clocks (the actions' due dates count from the mention's own)
    const words = { title: 'Ouderbijdrage', body: 'De ouderbijdrage is verplicht, anders mag je kind niet mee.' };
    const later = new Date('2026-03-17T10:00:00Z');
    const copies: Labelling[] = Array.from({ length: 40 }, (_, i) => ({
      ...words,
      facts: i % 2 ? ['De ouderbijdrage is vrijwillig.'] : [],
      preset: loadPreset('edu-ley'),
      sourceKind: 'rss',
      now: i % 4 < 2 ? NOW : later,
    }));
    const got = await labelMentions(copies, 1);
    expect(got).toEqual(copies.map(labelMention));
    const risky = (l: (typeof got)[number]) => l.risks.some((r) => r.type === 'inaccuracy');
    expect(got.filter(risky)).toHaveLength(20);
    expect(got.every((l, i) => risky(l) === (i % 2 === 1))).toBe(true);
    const due = (l: (typeof got)[number]) => (l.actions[0] as { due?: string } | undefined)?.due;
    expect(due(got[1]!)).not.toBe(due(got[3]!));
    expect(due(got[1]!)).toBe(due(got[5]!));
    // each copy's labels are its own: changing one changes no other
    got[1]!.risks.length = 0;
    expect(risky(got[3]!)).toBe(true);
    expect((await labelMentions(copies.slice(0, 10), 1)).filter(risky)).toHaveLength(5);
  });

  it('remember the readings of the last posts, by their words and fact sheet', () => {
    const read = rememberedReadings(2);
    const post = (body: string, facts: string[] = []) => ({ title: 'Ouderbijdrage', body, facts });
    const verplicht = 'De ouderbijdrage is verplicht, anders mag je kind niet mee.';
    const first = read(post(verplicht));
    expect(read(post(verplicht))).toEqual(first);
    expect(read.hits).toBe(1);
    // the same words against another fact sheet are read again, and read otherwise
    const checked = read(post(verplicht, ['De ouderbijdrage is vrijwillig.']));
    expect(read.hits).toBe(1);
    expect(checked.labels.risks.map((r) => r.type)).toContain('inaccuracy');
    expect(first.labels.risks.map((r) => r.type)).not.toContain('inaccuracy');
    // a reading handed out is the caller's: changing it changes nothing remembered
    first.labels.risks.push(checked.labels.risks[0]!);
    expect(read(post(verplicht)).labels.risks.map((r) => r.type)).not.toContain('inaccuracy');
    expect(read.hits).toBe(2);
    // the least recently used goes first
    read(post('Wat een mooie musical!'));
    read(post(verplicht));
    expect(read.hits).toBe(3);
    read(post(verplicht, ['De ouderbijdrage is vrijwillig.']));
    expect(read.hits).toBe(3);
  });

  it('report a mention that cannot be labelled, and keep working', async () => {
    const broken = { ...labellings[0]!, preset: { ...labellings[0]!.preset, rules: null as never } };
    await expect(labelMentions([...labellings.slice(0, 20), broken], 1)).rejects.toThrow(/classificeren mislukt/);
    expect(await labelMentions(labellings.slice(0, 20), 1)).toEqual(labellings.slice(0, 20).map(labelMention));
  });

  it('report a post that cannot be sent to a thread, and label the next ones', async () => {
    await stopLabelThreads(); // a new thread, that has no board's rules yet
    const odd = { ...labellings[0]!, media: [{ type: 'image', url: 'x', weigh: () => 1 }] as never };
    await expect(labelMentions([odd, ...labellings.slice(0, 20)], 1)).rejects.toThrow(/classificeren mislukt: .*clone/);
    // the same thread, which never got these rules, gets them with the next chunk
    expect(await labelMentions(labellings.slice(0, 20), 1)).toEqual(labellings.slice(0, 20).map(labelMention));
  });

  it('fail what was waiting when the threads stop, and start new ones after', async () => {
    const waiting = expect(labelMentions(labellings, 1)).rejects.toThrow(/classificatiethread gestopt/);
    await stopLabelThreads();
    await waiting;
    expect(await labelMentions(labellings.slice(0, 30), 1)).toEqual(labellings.slice(0, 30).map(labelMention));
  });

  it('neither keep an idle process alive nor let it exit while labels are due', async () => {
    const script = `
      import { labelMentions } from './workers/labelThreads.ts';
      const item = { title: 'Basisschool De Klimop', body: 'Wat een fijne school, dank aan de juffen!', facts: [], preset: (await import('./workers/policy/presets.ts')).loadPreset('edu-ley') };
      const labels = await labelMentions(Array.from({ length: 40 }, () => item), 1);
      console.log(labels.length, labels[0].sentiment.label);`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: path.join(import.meta.dirname, '../..'), timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('40 positive');
  });

  it('send a board’s rules to a thread once, so the thread compiles them once', () => {
    // a fresh copy with every chunk was compiled again each time and every copy kept: labelling got
    // slower with every chunk, and the thread's memory grew
    const known = new Set<string>();
    const first = labelMessage(labellings.slice(0, 50), known);
    expect(Object.keys(first.presets)).toHaveLength(PRESET_IDS.length);
    expect(first.items.every((x) => first.presets[x.preset] !== undefined)).toBe(true);
    const second = labelMessage(labellings.slice(50, 100), known);
    expect(second.presets).toEqual({});
    expect(new Set(second.items.map((x) => x.preset))).toEqual(new Set(first.items.map((x) => x.preset)));
    // the same rules read again are another object with the same key
    const copies = labellings.slice(0, 50).map((l) => ({ ...l, preset: structuredClone(l.preset) }));
    expect(labelMessage(copies, known).presets).toEqual({});
    // another thread knows nothing yet
    expect(Object.keys(labelMessage(labellings.slice(50, 100), new Set()).presets)).toHaveLength(PRESET_IDS.length);
  });

  it('are as many as the cores but one unless KLANKBORD_LABEL_THREADS says', () => {
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '0' })).toBe(0);
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '3' })).toBe(3);
    const auto = labelThreadCount({});
    expect(auto).toBeGreaterThanOrEqual(1);
    expect(auto).toBeLessThanOrEqual(4);
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: 'veel' })).toBe(auto);
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '2.5' })).toBe(auto);
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '40' })).toBe(auto);
    // as the start-up check reads it
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '+2' })).toBe(2);
    expect(labelThreadCount({ KLANKBORD_LABEL_THREADS: '3' }, '22.2.0')).toBe(0);
  });
});

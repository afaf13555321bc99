// How collectors say what a source needs in a board file. Each problem is the end of the sentence
// "een <kind>-bron …", optionally tied to the key it is about (for the line number).
export type SettingsProblem = { message: string; key?: string };
export type Settings = Record<string, unknown>;

export const requireKeys =
  (...keys: string[]) =>
  (s: Settings): SettingsProblem[] =>
    keys.filter((k) => !s[k]).map((k) => ({ message: `heeft ${k} nodig` }));

export const requireUrl = (_s: Settings, url?: string): SettingsProblem[] =>
  url ? [] : [{ message: 'heeft een url nodig' }];

// Search sources: their address follows from the query, so a url of their own is a mistake.
export const requireQueryOnly = (s: Settings, url?: string): SettingsProblem[] => [
  ...(s.query ? [] : [{ message: 'heeft een zoekopdracht nodig (query)' }]),
  ...(url ? [{ message: 'krijgt geen url, alleen een query', key: 'url' }] : []),
];

// Evidence is a span of the classified text; `fact` is a line of the school's fact sheet that the
// span contradicts (inaccuracies), so a correction can quote it; `by: 'model'` marks words the learned
// sentiment model leaned on (the lexicon's words carry no mark).
export type Evidence = { start: number; end: number; text: string; fact?: string; weight?: number; by?: 'model' };

export type RiskType = 'personal_data' | 'shaming' | 'threat' | 'inaccuracy' | 'discrimination' | 'sexual';
export const RISK_TYPES: RiskType[] = ['personal_data', 'shaming', 'threat', 'inaccuracy', 'discrimination', 'sexual'];

export type Risk = {
  type: RiskType;
  subtype?: string;
  severity: 'low' | 'medium' | 'high';
  confidence: number;
  evidence: Evidence[];
};

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export type Sentiment = { label: SentimentLabel; score: number; evidence?: Evidence[] };

export type Classification = {
  language: string;
  sentiment: Sentiment;
  risks: Risk[];
  actions: unknown[];
  // every span of the title or text that looks like personal data, masked wherever it is shown
  masks?: MaskSpan[];
};
export type MaskSpan = { field: 'title' | 'text'; start: number; end: number; subtype?: string };

export type Evidence = { start: number; end: number; text: string };

export type Risk = {
  type: 'personal_data' | 'shaming' | 'threat' | 'inaccuracy';
  subtype?: string;
  severity: 'low' | 'medium' | 'high';
  confidence: number;
  evidence: Evidence[];
};

export type Classification = {
  language: string;
  sentiment: { label: 'positive' | 'neutral' | 'negative'; score: number };
  risks: Risk[];
  actions: unknown[];
};

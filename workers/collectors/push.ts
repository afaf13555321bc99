import type { Collector } from './types.ts';

// Sources that are never fetched: what they hold is brought in by people. Their rows exist so
// that every mention has a source (for health, counts and deletion) and so a school's meldpunt
// can be opened and closed like any other source.
export const report: Collector = {
  kind: 'report',
  label: 'Meldpunt',
  needsSchool: true,
  help: 'Een openbare pagina waar ouders, leerlingen en medewerkers melden wat ze zagen, ook in WhatsApp- en Snapchatgroepen die Klankbord nooit kan zien. Eén meldpunt per school; pauzeren sluit de pagina.',
  fields: [],
  push: true,
  checkSettings: () => [],
  describe: () => 'Meldpunt',
  async collect() {
    return { items: [] };
  },
};

export const manual: Collector = {
  kind: 'manual',
  label: 'Handmatig toegevoegd',
  help: 'Vermeldingen die medewerkers zelf toevoegen (een link of tekst plakken).',
  fields: [],
  addable: false,
  push: true,
  checkSettings: () => [],
  describe: () => 'Handmatig toegevoegd',
  async collect() {
    return { items: [] };
  },
};

import type { schoolsNl } from './schoolsNl.ts';

// English texts for keeping the board's schools on the Schools page (issue 17).
export const schoolsEn: Record<keyof typeof schoolsNl, string> = {
  'schools.add': 'Add school',
  'schools.addTitle': 'New school',
  'schools.edit': 'Edit details',
  'schools.editTitle': 'Details of {name}',
  'schools.name': 'Name',
  'schools.aliases': 'Other names (one per line)',
  'schools.place': 'Place',
  'schools.slug': 'Web address (slug): {slug} — it stays, also under a new name.',
  'schools.save': 'Save',
  'schools.cancel': 'Cancel',
  'schools.created': '{name} was added. Klankbord searches with the default query at once.',
  'schools.updated': 'The details of {name} were saved.',
  'schools.archive': 'Archive',
  'schools.archiveConfirm':
    'Archive {name}? The school gets no new mentions and leaves lists and filters. Posts, cases and reports are kept for 30 days; until then you can restore it.',
  'schools.archived': '{name} was archived. It can be restored until {date}.',
  'schools.archivedTitle': 'Archived',
  'schools.archivedIntro': 'These schools get no new mentions. After 30 days Klankbord removes them with their posts.',
  'schools.archivedOn': 'Archived on {date} by {who}.',
  'schools.removeAfter': 'Will be removed on {date}.',
  'schools.waitingOne': 'Removal waits while 1 open case refers to its posts; close it first.',
  'schools.waitingMany': 'Removal waits while {n} open cases refer to its posts; close them first.',
  'schools.restore': 'Restore',
  'schools.restored': '{name} was restored.',
  'board.name': 'Name of the board',
  'board.rename': 'Save name',
  'board.renamed': "The board's name was saved.",
};

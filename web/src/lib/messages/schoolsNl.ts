// Dutch texts for keeping the board's schools on the Scholen page (issue 17): add, edit, archive, restore.
export const schoolsNl = {
  'schools.add': 'School toevoegen',
  'schools.addTitle': 'Nieuwe school',
  'schools.edit': 'Gegevens wijzigen',
  'schools.editTitle': 'Gegevens van {name}',
  'schools.name': 'Naam',
  'schools.aliases': 'Andere namen (één per regel)',
  'schools.place': 'Plaats',
  'schools.slug': 'Webadres (slug): {slug} — verandert niet, ook niet bij een nieuwe naam.',
  'schools.save': 'Opslaan',
  'schools.cancel': 'Annuleren',
  'schools.created': '{name} is toegevoegd. Klankbord zoekt meteen met de standaardzoekopdracht.',
  'schools.updated': 'De gegevens van {name} zijn opgeslagen.',
  'schools.archive': 'Archiveren',
  'schools.archiveConfirm':
    '{name} archiveren? De school krijgt geen nieuwe vermeldingen meer en verdwijnt uit lijsten en filters. Berichten, zaken en meldingen blijven 30 dagen bewaard; zolang kun je haar herstellen.',
  'schools.archived': '{name} is gearchiveerd. Herstellen kan tot {date}.',
  'schools.archivedTitle': 'Gearchiveerd',
  'schools.archivedIntro':
    'Deze scholen krijgen geen nieuwe vermeldingen. Na 30 dagen verwijdert Klankbord ze met hun berichten.',
  'schools.archivedOn': 'Gearchiveerd op {date} door {who}.',
  'schools.removeAfter': 'Wordt verwijderd op {date}.',
  'schools.waitingOne': 'Het verwijderen wacht zolang 1 open zaak naar haar berichten verwijst; rond die eerst af.',
  'schools.waitingMany':
    'Het verwijderen wacht zolang {n} open zaken naar haar berichten verwijzen; rond die eerst af.',
  'schools.restore': 'Herstellen',
  'schools.restored': '{name} is hersteld.',
  'board.name': 'Naam van het bestuur',
  'board.rename': 'Naam opslaan',
  'board.renamed': 'De naam van het bestuur is opgeslagen.',
};

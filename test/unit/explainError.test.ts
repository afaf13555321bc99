import { expect, test } from 'vitest';
import { explainFetchError } from '../../workers/http/explain.ts';

// "Test nu" and the sources' health say in Dutch what went wrong; the technical message stays available.
test('technical network errors become plain Dutch, with the detail kept apart', () => {
  expect(explainFetchError('Verbinding mislukt: getaddrinfo ENOTFOUND nieuws.voorbeeld.nl')).toEqual({
    text: 'Het adres nieuws.voorbeeld.nl bestaat niet of is niet te vinden. Controleer de spelling van de link.',
    detail: 'Verbinding mislukt: getaddrinfo ENOTFOUND nieuws.voorbeeld.nl',
  });
  expect(explainFetchError('Verbinding mislukt: connect ECONNREFUSED 203.0.113.5:443').text).toMatch(
    /weigert de verbinding/,
  );
  expect(explainFetchError('Verbinding mislukt: self-signed certificate in certificate chain').text).toMatch(
    /certificaat/,
  );
});

test('a message that is already plain Dutch stays as it is, without a detail', () => {
  expect(explainFetchError('Deze feed bestaat niet (meer) (HTTP 404)')).toEqual({
    text: 'Deze feed bestaat niet (meer) (HTTP 404)',
    detail: null,
  });
  expect(explainFetchError('Adres 10.0.0.1 is intern of privé en wordt niet opgehaald')).toEqual({
    text: 'Adres 10.0.0.1 is intern of privé en wordt niet opgehaald',
    detail: null,
  });
});

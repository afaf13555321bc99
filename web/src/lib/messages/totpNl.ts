// Tweestapsverificatie: Mijn account, de inlogstap met de code, en beheer op Gebruikers.
export const totpNl = {
  'totp.title': 'Tweestapsverificatie',
  'totp.intro':
    'Naast je wachtwoord vraagt Klankbord bij het inloggen een code uit een app op je telefoon (bijvoorbeeld FreeOTP, Google Authenticator of Microsoft Authenticator).',
  'totp.recommended': 'Voor jouw rol raden we tweestapsverificatie aan',
  'totp.hintLink': 'Instellen op Mijn account',
  'totp.on': 'Tweestapsverificatie staat aan.',
  'totp.off': 'Tweestapsverificatie staat uit.',
  'totp.setup': 'Tweestapsverificatie instellen',
  'totp.step1': 'Voeg in je app een account toe en voer deze sleutel in (tijdgebaseerd, 6 cijfers):',
  'totp.uri': 'Of open deze link in je app:',
  'totp.code': 'Code uit je app (6 cijfers)',
  'totp.confirm': 'Bevestigen',
  'totp.cancel': 'Annuleren',
  'totp.enabled':
    'Tweestapsverificatie staat aan. Bewaar deze herstelcodes op een veilige plek: elke code werkt één keer als je telefoon er niet is, en je ziet ze alleen nu.',
  'totp.left': 'Ongebruikte herstelcodes: {n}.',
  'totp.disableTitle': 'Tweestapsverificatie uitzetten',
  'totp.password': 'Je wachtwoord',
  'totp.disableCode': 'Code uit je app of een herstelcode',
  'totp.disable': 'Uitzetten',
  'totp.disabled': 'Tweestapsverificatie staat uit.',
  'login.totpIntro': 'Vul de code uit je app in, of een van je herstelcodes.',
  'login.totpCode': 'Code uit je app',
  'login.totpSubmit': 'Bevestigen',
  'login.restart': 'Opnieuw beginnen',
  'users.totpOn': 'tweestapsverificatie aan',
  'users.totpReset': 'Tweestapsverificatie resetten',
  'users.totpResetConfirm':
    'Tweestapsverificatie van {email} resetten? Daarna is alleen het wachtwoord nodig, tot de gebruiker haar opnieuw instelt.',
  'users.totpWasReset': 'Tweestapsverificatie van {email} is gereset.',
};

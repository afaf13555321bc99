import type { totpNl } from './totpNl.ts';

export const totpEn: Record<keyof typeof totpNl, string> = {
  'totp.title': 'Two-step verification',
  'totp.intro':
    'Besides your password, Klankbord asks at login for a code from an app on your phone (for example FreeOTP, Google Authenticator or Microsoft Authenticator).',
  'totp.recommended': 'For your role we recommend two-step verification',
  'totp.hintLink': 'Set it up on My account',
  'totp.on': 'Two-step verification is on.',
  'totp.off': 'Two-step verification is off.',
  'totp.setup': 'Set up two-step verification',
  'totp.step1': 'Add an account in your app and enter this key (time-based, 6 digits):',
  'totp.uri': 'Or open this link in your app:',
  'totp.code': 'Code from your app (6 digits)',
  'totp.confirm': 'Confirm',
  'totp.cancel': 'Cancel',
  'totp.enabled':
    'Two-step verification is on. Keep these recovery codes somewhere safe: each works once when your phone is not at hand, and you only see them now.',
  'totp.left': 'Unused recovery codes: {n}.',
  'totp.disableTitle': 'Turn off two-step verification',
  'totp.password': 'Your password',
  'totp.disableCode': 'Code from your app or a recovery code',
  'totp.disable': 'Turn off',
  'totp.disabled': 'Two-step verification is off.',
  'login.totpIntro': 'Enter the code from your app, or one of your recovery codes.',
  'login.totpCode': 'Code from your app',
  'login.totpSubmit': 'Confirm',
  'login.restart': 'Start again',
  'users.totpOn': 'two-step verification on',
  'users.totpReset': 'Reset two-step verification',
  'users.totpResetConfirm':
    'Reset two-step verification of {email}? After that only the password is needed, until the user sets it up again.',
  'users.totpWasReset': 'Two-step verification of {email} has been reset.',
};

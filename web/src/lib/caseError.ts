import { ApiError } from './api.ts';
import { t } from './i18n.svelte.ts';

// One way to say why a change to a case did not go through.
export const errorText = (e: unknown) => (e instanceof ApiError && e.status ? e.message : t('error.network'));

import { language, LANGUAGES, type Lang, setLanguage, useT } from '../i18n';
import { useStore } from '../store';

export function LanguageSwitch() {
  const t = useT();
  const lang = useStore(language);
  return (
    <label class="language-switch">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select value={lang} onChange={(event) => setLanguage((event.target as HTMLSelectElement).value as Lang)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}

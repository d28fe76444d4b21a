import { css } from 'lit';

/** The back office's frame: header, section navigation, the page, and the login form. */
export const shellStyles = css`
  header { display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; align-items: center; justify-content: space-between; border-bottom: 3px solid var(--_accent); padding: 0.5em 0; }
  header p { margin: 0; }
  .brand { font-weight: 700; font-size: 1.1em; }
  .town { display: flex; gap: 0.5em; align-items: center; }
  nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25em 1em; padding: 0; margin: 0.5em 0 1em; }
  nav a { color: var(--_accent); padding: 0.3em 0.2em; display: inline-block; }
  nav a[aria-current='page'] { font-weight: 700; text-decoration-thickness: 3px; }
  .skip { position: absolute; left: -10000px; }
  .skip:focus { position: static; }
  main { padding-bottom: 2em; }
  .login { max-width: 26em; margin: 3em auto; }
  .again { position: fixed; inset: 3em 0 auto; z-index: 10; background: #fff; padding: 1em 1.5em; border: 2px solid var(--_accent); border-radius: 6px;
    box-shadow: 0 0 0 100vmax rgb(0 0 0 / 0.45); max-height: calc(100vh - 6em); overflow: auto; }
  .error:empty { display: none; }
`;

import { css } from 'lit';

/**
 * The photos step: the choosers drawn as buttons (the inputs stay the controls, visually hidden, their
 * focus shown on their label), a drop zone on screens with a fine pointer, the camera on touch screens.
 */
export const photosStyles = css`
  .dropzone { margin: 1em 0; padding: 0.75em; border: 2px dashed transparent; border-radius: 6px; }
  .dropzone--over { border-color: var(--_accent); background: var(--georeport-notice, #eef4fb); }
  .dropzone__actions { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: center; }
  .picker__button {
    display: inline-flex; align-items: center; min-height: 44px; padding: 0.55em 1.1em; border-radius: 4px;
    border: 2px solid var(--_accent); background: var(--_accent); color: var(--georeport-accent-text, #fff);
    cursor: pointer; font-weight: 600;
  }
  .picker:not(.picker--camera) .picker__button { background: transparent; color: var(--_accent); }
  input:focus-visible + .picker__button { outline: 3px solid var(--_accent); outline-offset: 2px; }
  input:disabled + .picker__button { opacity: 0.6; cursor: not-allowed; }
  /* A camera button where there is a camera to hold; a place to drop files where there is a mouse. */
  .picker--camera { display: none; }
  @media (pointer: coarse) {
    .picker--camera { display: inline; }
    .dropzone__text { display: none; }
  }
  @media (pointer: fine) {
    .dropzone { border-color: #8a8a8a; }
    .dropzone--over { border-color: var(--_accent); }
  }
  .photos__pending { min-width: 10em; max-width: 100%; }
  .photos__pending span { overflow-wrap: anywhere; }
  .photos__pending progress { width: 100%; height: 0.75em; }
`;

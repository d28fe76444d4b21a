import type { LitConstructor } from '../config.ts';
import { languageOf, messagesFor, messagesOnceLoaded, type Messages } from './index.ts';
import type { Language } from './languages.ts';

/**
 * Gives an element its language (its `lang`, else the closest one, read each time it is connected) and
 * that language's texts. The dictionaries are files of their own (`index.ts`), so an element's first
 * update waits for its dictionary: nothing renders half-worded, and properties and attributes set
 * meanwhile reach `willUpdate` as changes, as they would have at once.
 */
export function Translated<T extends LitConstructor>(Base: T) {
  class TranslatedElement extends Base {
    /** The element's language, as its texts and the server's answers use it. */
    protected language: Language = 'en';
    /** Its texts, there from the first `willUpdate` on. */
    protected t!: Messages;

    override connectedCallback() {
      this.language = languageOf(this);
      super.connectedCallback();
    }

    protected override scheduleUpdate(): void | Promise<unknown> {
      const ready = messagesFor(this.language);
      if (ready) {
        this.t = ready;
        return super.scheduleUpdate();
      }
      return messagesOnceLoaded(this.language).then((messages) => {
        this.t = messages;
        return super.scheduleUpdate();
      });
    }
  }
  return TranslatedElement;
}

import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * `<georeport-admin-stats ${shared({ api, t, … })}>`: sets these properties on the element at each render
 * (an unchanged value changes nothing), so every page gets what they all share in one place.
 */
class SharedDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('shared() goes on an element');
  }

  render(_properties: object) {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [object]) {
    Object.assign(part.element, properties);
    return noChange;
  }
}

export const shared = directive(SharedDirective);

/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { wordDiff, type DiffPart } from '../../widget/admin/word-diff.ts';

/** A side of the comparison as it reads: the kept parts and those of `kind`. */
const side = (parts: DiffPart[], kind: 'gone' | 'new') => parts.filter((p) => p.kind === 'same' || p.kind === kind).map((p) => p.text).join('');

describe('the back office’s before and after of an edit', () => {
  it('marks the words taken out and put in, as whole phrases, each side reading back as its text', () => {
    const before = 'Trou profond devant chez Mme Durand, appelez-moi au 06 12 34 56 78';
    const after = 'Trou profond devant le 4 rue Haute';
    const parts = wordDiff(before, after);
    expect(parts).to.deep.equal([
      { text: 'Trou profond devant ', kind: 'same' },
      { text: 'le 4 rue Haute', kind: 'new' },
      { text: 'chez Mme Durand, appelez-moi au 06 12 34 56 78', kind: 'gone' },
    ]);
    expect(side(parts, 'gone')).to.equal(before);
    expect(side(parts, 'new')).to.equal(after);
  });

  it('keeps line breaks and says a text added to an empty one is all new', () => {
    expect(side(wordDiff('Ligne 1\nLigne 2', 'Ligne 1\nLigne 3'), 'gone')).to.equal('Ligne 1\nLigne 2');
    expect(wordDiff('', 'Un titre')).to.deep.equal([{ text: 'Un titre', kind: 'new' }]);
    expect(wordDiff('Même texte', 'Même texte')).to.deep.equal([{ text: 'Même texte', kind: 'same' }]);
  });

  it('compares very long texts whole rather than word by word', () => {
    const long = 'mot '.repeat(2500);
    expect(wordDiff(long, 'court')).to.deep.equal([{ text: long, kind: 'gone' }, { text: 'court', kind: 'new' }]);
  });
});

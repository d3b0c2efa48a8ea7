import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hanGrams, indexTerms, queryTokens, subTerms } from './analyzer.ts';
import { fold, foldWithOffsets } from './normalize.ts';
import { CharSounds, PinyinIndex, pinyinOf } from './pinyin.ts';
import { editDistance, typoBudget, WordList } from './typos.ts';

const terms = (text: string) => {
  const out: string[] = [];
  indexTerms(fold(text), out);
  return out;
};

describe('normalize', () => {
  it('folds full-width to half-width and lower case', () => {
    assert.equal(fold('ＡＢＣ１２３'), 'abc123');
    assert.equal(fold('iPhone'), 'iphone');
  });

  it('folds traditional to simplified Chinese', () => {
    assert.equal(fold('繁體'), '繁体');
    assert.equal(fold('蘋果手機'), '苹果手机');
  });

  it('leaves ordinary simplified characters alone', () => {
    assert.equal(fold('什么著名'), '什么著名');
  });

  it('maps folded characters back to the original for highlighting', () => {
    const folded = foldWithOffsets('ＡＢ手機');
    assert.equal(folded.text, 'ab手机');
    const plain = foldWithOffsets('Ab手機');
    assert.equal(plain.text, 'ab手机');
    assert.equal(plain.from, null); // same length: no offsets needed
  });
});

describe('analyzer', () => {
  it('keeps storage sizes and model numbers whole', () => {
    assert.ok(terms('iPhone 15 256G 手机').includes('256g'));
  });

  it('joins a number to its unit ("15.6寸") and keeps the number too', () => {
    const t = terms('防盗15.6寸电脑包');
    assert.ok(t.includes('15.6寸'));
    assert.ok(t.includes('15.6'));
    assert.ok(t.includes('电脑包'));
  });

  it('indexes the parts of letter+digit words and model codes', () => {
    const t = terms('iPhone13 redsun12-120');
    assert.ok(t.includes('iphone13') && t.includes('iphone') && t.includes('13'));
    assert.deepEqual(subTerms('redsun12-120', 'other'), ['redsun12', 'redsun', '12', '120']);
  });

  it('uses search mode: long words and the words inside them', () => {
    const t = terms('双肩包');
    assert.ok(t.includes('双肩包') && t.includes('双肩'));
  });

  it('drops punctuation, spaces and emoji', () => {
    assert.deepEqual(terms('😀 !!! ，。'), []);
  });

  it('gives query tokens with offsets and gaps, number+unit joined', () => {
    const tokens = queryTokens(fold('艾熙 15.6寸'), 10);
    assert.deepEqual(
      tokens.map((t) => [t.text, t.start, t.end, t.gap]),
      [
        ['艾熙', 0, 2, true],
        ['15.6寸', 3, 8, true],
      ],
    );
  });

  it('caps the number of query tokens', () => {
    assert.equal(queryTokens(fold('手机 '.repeat(500)), 32).length, 32);
  });

  it('makes characters and bigrams of Han runs only', () => {
    const codes: number[] = [];
    hanGrams('亲子鞋 ab 手机', codes);
    const text = codes.map((c) => (c > 0xffff ? String.fromCharCode(c >>> 16, c & 0xffff) : String.fromCharCode(c)));
    assert.deepEqual(text, ['亲', '子', '亲子', '鞋', '子鞋', '手', '机', '手机']);
  });
});

describe('pinyin', () => {
  it('gives full pinyin and initials of a Han word', () => {
    assert.deepEqual(pinyinOf('手机'), { full: 'shouji', initials: 'sj' });
    assert.equal(pinyinOf('女鞋')?.full, 'nvxie');
    assert.equal(pinyinOf('abc'), null);
  });

  it('finds Han terms by pinyin and by initials', () => {
    const index = new PinyinIndex();
    index.add(7, '手机');
    assert.deepEqual(index.full('shouji'), [7]);
    assert.deepEqual(index.initials('sj'), [7]);
  });

  it('splits letters into syllables of known characters', () => {
    const sounds = new CharSounds();
    for (const c of '臂带') sounds.add(c);
    assert.deepEqual(sounds.syllables('bidai'), ['bi', 'dai']);
    assert.equal(sounds.syllables('xyz'), null);
  });
});

describe('typos', () => {
  it('tolerates 1 edit from 5 letters and 2 from 9, none below', () => {
    assert.equal(typoBudget('ipad'), 0);
    assert.equal(typoBudget('iphone'), 1);
    assert.equal(typoBudget('sennheiser'), 2);
  });

  it('counts a swap of neighbours as one edit and stops early past the bound', () => {
    assert.equal(editDistance('iphnoe', 'iphone', 2), 1);
    assert.equal(editDistance('kitten', 'sitting', 3), 3);
    assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  });

  it('finds known words within the allowed edits', () => {
    const words = new WordList();
    for (const w of ['iphone', 'ipad', 'phone', 'lenovo']) words.add(w);
    assert.deepEqual(
      words.near('iphnoe', 1, 5).map((n) => n.word),
      ['iphone'],
    );
    assert.deepEqual(words.near('lenvo', 1, 5, () => true, true).map((n) => n.word), ['lenovo']);
  });
});

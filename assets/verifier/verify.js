/*
 * spravka — the certificate verification page (issue 19). Runs in the phone's browser with no
 * server: the certificate's QR code is a link to this page with the signed payload in the URL's
 * fragment (`#S2|key|number|initials|issued|from|to|signature`), which the browser never sends to
 * the web server. The page checks:
 *   1. the list beside it (data.js: the body's public keys and the certificates revoked or
 *      superseded) — its ed25519 signature by one of its keys, and each key's fingerprint;
 *      a list that does not hold is refused and nothing is checked against it;
 *   2. the payload's ed25519 signature — over the UTF-8 bytes of everything before its last `|`,
 *      by the key its fingerprint names (the first 16 hex digits of the key's SHA-256), exactly
 *      as spravka signs and verifies it (src/service/printing.rs);
 *   3. the status: revoked or superseded by the list (as of the list's date), expired by the
 *      phone's date.
 * Signatures are checked with WebCrypto Ed25519 where the browser has it, otherwise with
 * noble-ed25519 (noble-ed25519.js beside this file, MIT, unchanged from npm @noble/ed25519).
 * Nothing is sent anywhere; once loaded the page needs no network.
 */
(function () {
  'use strict';

  var TEXT = {
    ru: {
      title: 'Проверка справки',
      doc: 'Справка о соответствии квалификации для самостоятельного трудоустройства',
      loading: 'Проверка…',
      valid: 'Справка действительна',
      valid_note: 'Подпись QR-кода верна, справка не отозвана и не переоформлена, срок действия не истёк.',
      expired: 'Срок действия справки истёк',
      expired_note: 'Срок действия закончился {0}. Продлённая справка печатается заново, с новым QR-кодом.',
      notyet: 'Срок действия справки ещё не начался',
      notyet_note: 'Справка действует с {0}.',
      superseded: 'Справка переоформлена: действует справка № {0}',
      superseded_note: 'Переоформлена {0}. Эта бумага больше не действует.',
      revoked: 'Справка отозвана и не действует',
      revoked_note: 'Отозвана {0} на основании акта: {1}.',
      forged: 'Подделка: QR-код не подписан органом или изменён',
      forged_note: 'Не принимайте эту справку. Обратитесь в местный исполнительный орган, выдавший её.',
      refused: 'Сведения для проверки повреждены или изменены',
      refused_note: 'Проверить справку на этой странице нельзя. Обратитесь в местный исполнительный орган, выдавший справку.',
      noengine: 'Этот браузер не может проверить подпись',
      noengine_note: 'Откройте страницу в другом браузере или обновите браузер.',
      empty: 'Наведите камеру телефона на QR-код справки',
      empty_note: 'Откроется эта страница с результатом проверки. Сверьте результат с бумагой.',
      fields: 'Что сказано в QR-коде — сверьте с бумагой',
      number: 'Номер справки',
      issued: 'Дата выдачи',
      initials: 'Инициалы владельца',
      term: 'Срок действия',
      term_value: 'с {0} по {1}',
      key: 'Подписано ключом',
      key_holder: '{0} — ключ {1}',
      body_key: 'прежний общий ключ органа',
      key_since: 'ключ действует с {0}',
      key_period: 'ключ действовал с {0} по {1}',
      as_of: 'Отзывы и переоформления учтены по состоянию на {0}. Если справку отозвали позже, эта страница этого не знает: при сомнении обратитесь в орган.',
      list_signed: 'Список подписан: {0}, ключ {1}.',
      engine: 'Подпись проверена в этом браузере ({0}); сведения никуда не отправлялись.',
      engine_webcrypto: 'WebCrypto Ed25519',
      engine_noble: 'библиотека noble-ed25519'
    },
    kk: {
      title: 'Анықтаманы тексеру',
      doc: 'Өз бетінше жұмысқа орналасуы үшін біліктілігінің сәйкестігі туралы анықтама',
      loading: 'Тексеру…',
      valid: 'Анықтама жарамды',
      valid_note: 'QR-кодтың қолтаңбасы дұрыс, анықтама кері қайтарып алынбаған және қайта ресімделмеген, мерзімі өтпеген.',
      expired: 'Анықтаманың қолданылу мерзімі өтті',
      expired_note: 'Қолданылу мерзімі {0} аяқталды. Ұзартылған анықтама жаңа QR-кодпен қайта басылады.',
      notyet: 'Анықтаманың қолданылу мерзімі әлі басталған жоқ',
      notyet_note: 'Анықтама {0} бастап қолданылады.',
      superseded: 'Анықтама қайта ресімделді: № {0} анықтама қолданылады',
      superseded_note: '{0} қайта ресімделді. Бұл қағаз енді жарамсыз.',
      revoked: 'Анықтама кері қайтарып алынды және жарамсыз',
      revoked_note: '{0} актінің негізінде кері қайтарып алынды: {1}.',
      forged: 'Жалған: QR-кодқа орган қол қоймаған немесе ол өзгертілген',
      forged_note: 'Бұл анықтаманы қабылдамаңыз. Оны берген жергілікті атқарушы органға хабарласыңыз.',
      refused: 'Тексеруге арналған мәліметтер бүлінген немесе өзгертілген',
      refused_note: 'Анықтаманы бұл бетте тексеру мүмкін емес. Анықтаманы берген жергілікті атқарушы органға хабарласыңыз.',
      noengine: 'Бұл браузер қолтаңбаны тексере алмайды',
      noengine_note: 'Бетті басқа браузерде ашыңыз немесе браузерді жаңартыңыз.',
      empty: 'Телефон камерасын анықтаманың QR-кодына бағыттаңыз',
      empty_note: 'Тексеру нәтижесімен осы бет ашылады. Нәтижені қағазбен салыстырыңыз.',
      fields: 'QR-кодта не жазылған — қағазбен салыстырыңыз',
      number: 'Анықтаманың нөмірі',
      issued: 'Берілген күні',
      initials: 'Иесінің аты-жөнінің бас әріптері',
      term: 'Қолданылу мерзімі',
      term_value: '{0} бастап {1} дейін',
      key: 'Қол қойылған кілт',
      key_holder: '{0} — кілт {1}',
      body_key: 'органның бұрынғы ортақ кілті',
      key_since: 'кілт {0} бастап қолданылады',
      key_period: 'кілт {0} бастап {1} дейін қолданылды',
      as_of: 'Кері қайтарып алу және қайта ресімдеу {0} жағдай бойынша ескерілген. Анықтама одан кейін кері қайтарылса, бұл бет оны білмейді: күмән болса, органға хабарласыңыз.',
      list_signed: 'Тізімге қол қойған: {0}, кілт {1}.',
      engine: 'Қолтаңба осы браузерде тексерілді ({0}); мәліметтер ешқайда жіберілген жоқ.',
      engine_webcrypto: 'WebCrypto Ed25519',
      engine_noble: 'noble-ed25519 кітапханасы'
    }
  };

  var LIST_FORMAT = 'spravka-verifier-list/1';
  var state = { lang: pickLanguage(), listCheck: null, result: null, engine: null };

  function pickLanguage() {
    try {
      var saved = window.localStorage.getItem('spravka-lang');
      if (saved === 'ru' || saved === 'kk') return saved;
    } catch (e) { /* storage may be off */ }
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < langs.length; i++) {
      var code = String(langs[i]).toLowerCase();
      if (code === 'kk' || code.indexOf('kk-') === 0) return 'kk';
      if (code === 'ru' || code.indexOf('ru-') === 0) return 'ru';
    }
    return 'ru';
  }

  function t(key, args) {
    var text = TEXT[state.lang][key];
    (args || []).forEach(function (a, i) { text = text.split('{' + i + '}').join(a); });
    return text;
  }

  // --- bytes ---------------------------------------------------------------------------------

  function utf8(text) { return new TextEncoder().encode(text); }

  function fromHex(text) {
    if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) return null;
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
    return out;
  }

  function toHex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  // URL-safe base64 without padding, as strictly as spravka reads it (the base64 crate): only
  // the alphabet, no padding, and the unused low bits of the last character zero — otherwise a
  // changed last character could decode to the same bytes.
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function fromBase64Url(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      value = (value << 6) | B64.indexOf(text[i]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((value >> bits) & 0xff);
        value &= (1 << bits) - 1;
      }
    }
    if (value !== 0) return null;
    return new Uint8Array(out);
  }

  async function fingerprint(publicKey) {
    if (!window.crypto || !crypto.subtle) throw new Error('no-engine');
    var digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey));
    return toHex(digest.slice(0, 8));
  }

  // --- ed25519: WebCrypto, or noble-ed25519 ----------------------------------------------------

  // RFC 8032, section 7.1, test 1: the empty message.
  var VECTOR = {
    key: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
  };

  async function webCryptoVerify(publicKey, signature, message) {
    var key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  }

  var noble = null;
  async function nobleVerify(publicKey, signature, message) {
    if (!noble) noble = await import('./noble-ed25519.js');
    // zip215: false — RFC 8032's strict reading, as ed25519-dalek's `verify`.
    return noble.verifyAsync(signature, message, publicKey, { zip215: false });
  }

  async function chooseEngine() {
    if (new URLSearchParams(location.search).get('engine') === 'noble') return 'noble';
    try {
      if (await webCryptoVerify(fromHex(VECTOR.key), fromHex(VECTOR.sig), new Uint8Array(0))) return 'webcrypto';
    } catch (e) { /* no Ed25519 in this browser's WebCrypto */ }
    return 'noble';
  }

  // The browser cannot check signatures at all (no WebCrypto: a page not served over https, or
  // the library could not be loaded): said as such, never as «forged» or «refused».
  var NO_ENGINE = 'no-engine';

  async function verifySignature(publicKey, signature, message) {
    if (!window.crypto || !crypto.subtle) throw new Error(NO_ENGINE);
    if (!state.engine) {
      var engine = await chooseEngine();
      // Load the library now, while the page is online, so that later checks need no network.
      if (engine === 'noble') {
        try { noble = await import('./noble-ed25519.js'); } catch (e) { throw new Error(NO_ENGINE); }
      }
      state.engine = engine;
    }
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return state.engine === 'webcrypto'
        ? await webCryptoVerify(publicKey, signature, message)
        : await nobleVerify(publicKey, signature, message);
    } catch (e) {
      // A key or signature that is not a point of the curve: not a valid signature.
      return false;
    }
  }

  // --- the signed list ---------------------------------------------------------------------

  async function checkList(data) {
    if (!data || typeof data.list !== 'string' || typeof data.signature !== 'string') return null;
    var list;
    try { list = JSON.parse(data.list); } catch (e) { return null; }
    if (!list || list.format !== LIST_FORMAT || !Array.isArray(list.keys) || !Array.isArray(list.withdrawn)) return null;
    for (var i = 0; i < list.keys.length; i++) {
      var k = list.keys[i];
      k.bytes = fromHex(k.public);
      // Each key is named by its fingerprint: the page recomputes it.
      if (!k.bytes || k.bytes.length !== 32 || (await fingerprint(k.bytes)) !== k.fingerprint) return null;
    }
    var signer = list.keys.filter(function (k) { return k.fingerprint === list.signed_by; })[0];
    var signature = fromBase64Url(data.signature);
    if (!signer || !signature) return null;
    // A key retired before the list's date signs no list.
    if (signer.until && signer.until < String(list.as_of).slice(0, 10)) return null;
    if (!(await verifySignature(signer.bytes, signature, utf8(data.list)))) return null;
    return { list: list, signer: signer };
  }

  // --- the certificate's code ------------------------------------------------------------------

  function readPayload() {
    var fragment = location.hash.replace(/^#/, '');
    if (!fragment) return '';
    try { return decodeURIComponent(fragment).trim(); } catch (e) { return fragment.trim(); }
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  // `S1|number|initials|issued|from|to|signature` (the body's key before version 12, any key
  // of the list) or `S2|fingerprint|number|…|signature` (the key it names).
  async function checkCode(payload, checked) {
    var cut = payload.lastIndexOf('|');
    if (cut < 0) return { status: 'forged' };
    var signed = payload.slice(0, cut);
    var parts = signed.split('|');
    var named = null, fields;
    if (parts[0] === 'S1') {
      fields = parts.slice(1);
    } else if (parts[0] === 'S2') {
      named = parts[1];
      fields = parts.slice(2);
    } else {
      return { status: 'forged' };
    }
    var signature = fromBase64Url(payload.slice(cut + 1));
    if (fields.length !== 5 || !signature) return { status: 'forged' };
    var message = utf8(signed);
    var key = null;
    var keys = checked.list.keys;
    for (var i = 0; i < keys.length && !key; i++) {
      if (named !== null && keys[i].fingerprint !== named) continue;
      if (await verifySignature(keys[i].bytes, signature, message)) key = keys[i];
    }
    if (!key) return { status: 'forged' };
    var code = { number: fields[0], initials: fields[1], issued: fields[2], from: fields[3], to: fields[4] };
    var entry = checked.list.withdrawn.filter(function (w) { return w.number === code.number; })[0];
    var day = today();
    var status;
    if (entry && entry.status === 'revoked') status = 'revoked';
    else if (entry && entry.status === 'superseded') status = 'superseded';
    else if (day > code.to) status = 'expired';
    else if (day < code.from) status = 'notyet';
    else status = 'valid';
    return { status: status, code: code, key: key, entry: entry || null };
  }

  // --- drawing -----------------------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function date(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    return m ? m[3] + '.' + m[2] + '.' + m[1] : String(iso);
  }

  function dateTime(iso) {
    var m = /T(\d{2}):(\d{2})/.exec(String(iso));
    return date(iso) + (m ? ' ' + m[1] + ':' + m[2] : '');
  }

  function keyLine(key) {
    var holder = key.holder || t('body_key');
    var period = key.until ? t('key_period', [date(key.from), date(key.until)]) : t('key_since', [date(key.from)]);
    return t('key_holder', [holder, key.fingerprint]) + ' (' + period + ')';
  }

  function verdict(status, title, note) {
    return el('section', { 'class': 'verdict ' + status, id: 'verdict', role: 'status' },
      el('h2', {}, title), note ? el('p', {}, note) : null);
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    document.getElementById('title').textContent = t('title');
    Array.prototype.forEach.call(document.querySelectorAll('.langs button'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === state.lang));
    });
    var app = document.getElementById('app');
    var checked = state.listCheck;
    var r = state.result;
    var bodyName = document.getElementById('body-name');
    bodyName.textContent = checked ? (state.lang === 'kk' ? checked.list.body_kk : checked.list.body_ru) : '';
    app.textContent = '';
    if (!r) {
      app.setAttribute('data-status', 'loading');
      app.appendChild(el('p', { 'class': 'note' }, t('loading')));
      return;
    }
    app.setAttribute('data-status', r.status);
    if (r.status === 'refused' || r.status === 'forged' || r.status === 'noengine' || r.status === 'empty') {
      // Nothing after «forged» may read like «valid»: no fields, no key, no dates.
      app.appendChild(verdict(r.status === 'noengine' ? 'refused' : r.status, t(r.status), t(r.status + '_note')));
    } else {
      var c = r.code;
      var title = r.status === 'superseded' ? t('superseded', [r.entry.by || '—']) : t(r.status);
      var note = {
        valid: t('valid_note'),
        expired: t('expired_note', [date(c.to)]),
        notyet: t('notyet_note', [date(c.from)]),
        superseded: r.entry ? t('superseded_note', [date(r.entry.date)]) : '',
        revoked: r.entry ? t('revoked_note', [date(r.entry.date), r.entry.act || '—']) : ''
      }[r.status];
      app.appendChild(verdict(r.status, title, note));
      app.appendChild(el('section', { 'class': 'card', id: 'fields' },
        el('h3', {}, t('fields')),
        el('p', { 'class': 'note' }, t('doc')),
        el('dl', {},
          el('dt', {}, t('number')), el('dd', { id: 'f-number' }, '№ ' + c.number),
          el('dt', {}, t('issued')), el('dd', { id: 'f-issued' }, date(c.issued)),
          el('dt', {}, t('initials')), el('dd', { id: 'f-initials' }, c.initials),
          el('dt', {}, t('term')), el('dd', { id: 'f-term' }, t('term_value', [date(c.from), date(c.to)])),
          el('dt', {}, t('key')), el('dd', { id: 'f-key', 'class': 'small' }, keyLine(r.key)))));
    }
    // After «forged» nothing more: not even the list's signature, which might read like a success.
    if (checked && r.status !== 'forged') {
      var signer = checked.signer;
      app.appendChild(el('section', { 'class': 'card note', id: 'about' },
        el('p', { id: 'as-of' }, t('as_of', [dateTime(checked.list.as_of)])),
        el('p', {}, t('list_signed', [signer.holder || t('body_key'), signer.fingerprint])),
        state.engine ? el('p', { id: 'engine', 'data-engine': state.engine }, t('engine', [t('engine_' + state.engine)])) : null));
    }
  }

  async function check() {
    state.result = null;
    render();
    try {
      state.listCheck = await checkList(window.SPRAVKA_DATA);
      if (!state.listCheck) {
        state.result = { status: 'refused' };
      } else {
        var payload = readPayload();
        state.result = payload ? await checkCode(payload, state.listCheck) : { status: 'empty' };
      }
    } catch (e) {
      var noEngine = e && e.message === NO_ENGINE;
      if (!state.listCheck || noEngine) state.listCheck = null;
      state.result = { status: noEngine ? 'noengine' : (state.listCheck ? 'forged' : 'refused') };
    }
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll('.langs button'), function (b) {
    b.addEventListener('click', function () {
      state.lang = b.getAttribute('data-lang');
      try { window.localStorage.setItem('spravka-lang', state.lang); } catch (e) { /* storage off */ }
      render();
    });
  });
  // Another code scanned into the same open page: check it too, with no network.
  window.addEventListener('hashchange', check);
  // On the body's https site, keep the page's files for offline use (network first).
  if ('serviceWorker' in navigator && location.protocol === 'https:') {
    navigator.serviceWorker.register('sw.js').catch(function () { /* the page works without it */ });
  }
  check();
})();

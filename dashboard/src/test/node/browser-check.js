// Checks a running posestream dashboard in a real browser (Debian's chromium driven by playwright-core) and prints
// one JSON line per phase on stdout, so a caller (DashboardBrowserTest, the demo's end-to-end test) can act between
// phases. Phases, in the order given with --phases:
//   login      (first, for a dashboard with dashboard.auth.password) the page sends the browser to the login form;
//              the event stream answers the browser 401 while it has not logged in; a wrong password is refused
//              with a message; the right one (--login-user, and the password in the environment variable
//              BROWSER_CHECK_PASSWORD, kept off the command line) opens the page.
//   live       a camera tile appears, skeletons are drawn (page drawing state, and canvas pixels on a limb differ
//              from the frame's own pixels and match the track's colour), track ids are listed in the tile, and
//              the figures update; then a screenshot is saved.
//   analytics  (for a dashboard given a rules file) the camera's zones and lines are drawn over the frame (page
//              drawing state, and canvas pixels along each outline and line in its overlay colour, unlike the
//              frame's own pixels), every zone's count and every line's crossings are listed beside the tile, and an
//              activity event arrives while the page is watched and is listed; then a screenshot is saved again.
//   stale      the camera's stale badge shows (the caller stops feeding after "live").
//   reconnect  the page shows it is disconnected, then reconnects by itself and draws a new frame (the caller
//              restarts the server after "stale" and feeds again).
// Usage: node browser-check.js --url URL [--camera ID] [--min-skeletons N] [--screenshot PATH]
//        [--phases login,live,analytics,stale,reconnect] [--login-user USER] [--timeout-ms MS] [--chromium /usr/bin/chromium]
'use strict';
const { chromium } = require('playwright-core');

function parseArgs(argv) {
  const args = { camera: null, minSkeletons: 1, screenshot: null, phases: ['live'], timeoutMs: 60000,
    chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${key}`);
    switch (key) {
      case '--url': args.url = value; break;
      case '--camera': args.camera = value; break;
      case '--min-skeletons': args.minSkeletons = Number(value); break;
      case '--screenshot': args.screenshot = value; break;
      case '--phases': args.phases = value.split(','); break;
      case '--timeout-ms': args.timeoutMs = Number(value); break;
      case '--chromium': args.chromium = value; break;
      case '--login-user': args.loginUser = value; break;
      default: throw new Error(`unknown option ${key}`);
    }
  }
  if (!args.url) throw new Error('--url is required');
  return args;
}

function report(phase, details) {
  process.stdout.write(JSON.stringify({ phase, ...details }) + '\n');
}

// Waits until fn (run in the page with arg) returns something truthy; fails naming what was awaited, with the
// page's state at that moment.
async function waitFor(page, what, fn, arg, timeoutMs) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 100 });
    return await handle.jsonValue();
  } catch (e) {
    const state = await page.evaluate(() => JSON.stringify(window.posestream, (k, v) => (k === 'segments' ? undefined : v)))
      .catch(() => 'unavailable');
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; page state: ${state}`);
  }
}

function distance(a, b) {
  return Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);
}

async function live(page, args) {
  const camera = await waitFor(page, args.camera ? `a tile for camera ${args.camera}` : 'a camera tile',
    (cam) => {
      const tiles = (window.posestream && window.posestream.tiles) || {};
      const ids = cam ? [cam] : Object.keys(tiles).sort();
      return ids.find((id) => tiles[id] && tiles[id].draws > 0 && document.querySelector(`.tile[data-camera="${id}"]`));
    }, args.camera, args.timeoutMs);

  const drawn = await waitFor(page, `at least ${args.minSkeletons} skeletons drawn on camera ${camera}`,
    ([cam, min]) => {
      const tile = window.posestream.tiles[cam];
      return tile.skeletonsDrawn >= min && tile.segments.some((s) => !s[5]) ? tile : null;
    }, [camera, args.minSkeletons], args.timeoutMs);

  // Pixels: the middle of a limb of a track that is not LOST, on the canvas versus in the plain frame image. Another
  // person's limb may cross that point (people walk side by side), so the longest limbs are tried in turn and one
  // drawn in its own track's colour over a changed pixel is enough.
  const probes = await page.evaluate((cam) => {
    const tile = window.posestream.tiles[cam];
    return tile.segments
      .filter((s) => !s[5])
      .sort((a, b) => Math.hypot(b[2] - b[0], b[3] - b[1]) - Math.hypot(a[2] - a[0], a[3] - a[1]))
      .slice(0, 8)
      .map(([x1, y1, x2, y2, trackId]) => {
        const at = [(x1 + x2) / 2, (y1 + y2) / 2];
        const colours = window.posestream.probe(cam, at[0], at[1]);
        const swatch = document.createElement('canvas').getContext('2d');
        swatch.fillStyle = window.posestream.trackColor(trackId);
        swatch.fillRect(0, 0, 1, 1);
        return { trackId, at, canvas: colours.canvas, image: colours.image,
          trackColour: Array.from(swatch.getImageData(0, 0, 1, 1).data) };
      });
  }, camera);
  const drawnInColour = probes.find((p) => distance(p.canvas, p.image) >= 40 && distance(p.canvas, p.trackColour) <= 60);
  if (!drawnInColour) {
    const seen = probes.map((p) => `track ${p.trackId} at ${p.at}: canvas ${p.canvas}, frame ${p.image}, `
      + `track colour ${p.trackColour}`).join('; ');
    throw new Error(`no limb midpoint shows its track's colour over the frame (no skeleton drawn there): ${seen}`);
  }

  // Track ids visible in the tile: one drawn in the tile's latest frame is listed, checked in one look at the page
  // (the tracks change from frame to frame, so a list read after an older frame's ids may rightly differ).
  const { id: visibleId, listed } = await waitFor(page,
    `a track id drawn on camera ${camera} listed visibly in its tile`, (cam) => {
      const tile = window.posestream.tiles[cam];
      const items = `.tile[data-camera="${cam}"] .tracks li`;
      const shown = (id) => {
        const item = document.querySelector(`${items}[data-track-id="${id}"]`);
        return item && item.getClientRects().length > 0 && getComputedStyle(item).visibility !== 'hidden';
      };
      const id = (tile.trackIds || []).find(shown);
      return id === undefined ? null
        : { id, listed: Array.from(document.querySelectorAll(items)).map((item) => item.innerText) };
    }, camera, args.timeoutMs);
  const visibleIds = [visibleId];

  // Figures update: a later frame and different figures than a first look.
  const first = await page.evaluate((cam) => ({ seq: window.posestream.tiles[cam].seq,
    figures: window.posestream.tiles[cam].figures }), camera);
  const later = await waitFor(page, `figures of camera ${camera} to update`, ([cam, before]) => {
    const tile = window.posestream.tiles[cam];
    const f = tile.figures;
    return tile.seq > before.seq && JSON.stringify(f) !== JSON.stringify(before.figures)
      && f.fpsIn > 0 && f.fpsPosed > 0 && f.latencyP50Ms >= 0 && !f.stale
      ? { seq: tile.seq, figures: f } : null;
  }, [camera, first], args.timeoutMs);
  const figuresText = await page.locator(`.tile[data-camera="${camera}"] .figures`).innerText();

  if (args.screenshot) {
    await page.screenshot({ path: args.screenshot, fullPage: true });
  }
  const tile = await page.evaluate((cam) => {
    const t = window.posestream.tiles[cam];
    return { seq: t.seq, skeletonsDrawn: t.skeletonsDrawn, limbsDrawn: t.limbsDrawn, keypointsDrawn: t.keypointsDrawn,
      trackIds: t.trackIds, lostTrackIds: t.lostTrackIds, width: t.width, height: t.height };
  }, camera);
  const cameras = await page.evaluate(() => Object.keys(window.posestream.tiles).sort());
  report('live', { camera, cameras, tile, probe: drawnInColour, listedTrackIds: listed, visibleTrackIds: visibleIds,
    figuresBefore: first.figures, figuresAfter: later.figures, figuresText, screenshot: args.screenshot });
  return camera;
}

// Points along a polyline (closed: back to its first point), each at a fraction of a segment, away from the corners
// where labels are drawn.
function alongOutline(points, closed) {
  const samples = [];
  const ends = closed ? points.length : points.length - 1;
  for (let i = 0; i < ends; i++) {
    const [a, b] = [points[i], points[(i + 1) % points.length]];
    for (const t of [0.3, 0.45, 0.6, 0.75]) samples.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
  }
  return samples;
}

async function analytics(page, args, camera) {
  const overlay = await waitFor(page, `zones and lines drawn on camera ${camera}`, (cam) => {
    const tile = window.posestream.tiles[cam];
    return tile && tile.overlay && tile.overlay.zones.length + tile.overlay.lines.length > 0 ? tile.overlay : null;
  }, camera, args.timeoutMs);

  // Pixels: along every zone's outline and every line, the canvas shows the overlay's colour where the frame does
  // not. A skeleton or a label may cover some points, so most (not all) must show it.
  const shapes = [...overlay.zones.map((z) => ({ ...z, kind: 'zone', samples: alongOutline(z.points, true) })),
    ...overlay.lines.map((l) => ({ ...l, kind: 'line', samples: alongOutline(l.points, false) }))];
  const probed = await page.evaluate(([cam, list]) => list.map((shape) => {
    const swatch = document.createElement('canvas').getContext('2d');
    swatch.fillStyle = shape.color;
    swatch.fillRect(0, 0, 1, 1);
    const colour = Array.from(swatch.getImageData(0, 0, 1, 1).data);
    return { kind: shape.kind, name: shape.name, colour,
      samples: shape.samples.map(([x, y]) => ({ at: [x, y], ...window.posestream.probe(cam, x, y) })) };
  }), [camera, shapes]);
  const pixels = probed.map((shape) => {
    const matching = shape.samples.filter((s) => distance(s.canvas, shape.colour) <= 60 && distance(s.canvas, s.image) >= 40);
    return { kind: shape.kind, name: shape.name, colour: shape.colour, samples: shape.samples.length,
      matching: matching.length, example: matching[0] || shape.samples[0] };
  });
  const undrawn = pixels.filter((p) => p.matching * 2 < p.samples);
  if (undrawn.length > 0) {
    throw new Error(`not drawn in its colour over the frame: ${JSON.stringify(undrawn)}`);
  }

  // An activity event arriving while the page is watched, listed beside the tile.
  const before = await page.evaluate((cam) => (window.posestream.analytics[cam] || { received: 0 }).received, camera);
  const panel = await waitFor(page, `a new activity event of camera ${camera}`, ([cam, seen]) => {
    const p = window.posestream.analytics[cam];
    return p && p.received > seen
      && document.querySelectorAll(`.tile[data-camera="${cam}"] .activity li`).length > 0 ? p : null;
  }, [camera, before], args.timeoutMs);
  const tileSelector = `.tile[data-camera="${camera}"]`;
  const listed = await page.locator(`${tileSelector} .activity li`).evaluateAll((items) => items.map((li) => ({
    kind: li.dataset.kind, rule: li.dataset.rule, trackId: li.dataset.trackId, text: li.textContent })));
  const counts = await page.locator(`${tileSelector} .zones li`).evaluateAll((items) => items.map((li) => ({
    zone: li.dataset.zone, line: li.dataset.line, count: li.dataset.count, text: li.textContent })));
  const activityVisible = await page.locator(`${tileSelector} .activity li`).first().isVisible();
  if (args.screenshot) {
    await page.screenshot({ path: args.screenshot, fullPage: true });
  }
  report('analytics', { camera, zones: overlay.zones.map((z) => z.name), lines: overlay.lines.map((l) => l.name), overlay,
    pixels, receivedBefore: before, panel, listed, counts, activityVisible, screenshot: args.screenshot });
}

async function login(page, args) {
  await page.waitForURL(/\/login$/, { timeout: args.timeoutMs });
  const loginUrl = page.url();
  // What a browser that has not logged in gets from the event stream and the state API.
  const refused = await page.evaluate(async () => ({
    events: (await fetch('events', { cache: 'no-store' })).status,
    state: (await fetch('api/state', { cache: 'no-store' })).status,
  }));
  await page.fill('#user', args.loginUser);
  await page.fill('#password', 'not-the-password');
  await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('#submit')]);
  const error = await page.locator('#error').innerText({ timeout: args.timeoutMs });
  const password = process.env.BROWSER_CHECK_PASSWORD;
  if (!password) throw new Error('BROWSER_CHECK_PASSWORD is not set');
  await page.fill('#user', args.loginUser);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login'), { timeout: args.timeoutMs }),
    page.click('#submit')]);
  const logoutVisible = await page.locator('#logout').isVisible();
  report('login', { loginUrl, refused, error, afterLogin: page.url(), logoutVisible });
}

async function stale(page, args, camera) {
  await waitFor(page, `camera ${camera} marked stale`, (cam) => window.posestream.tiles[cam].stale, camera,
    args.timeoutMs);
  const badge = page.locator(`.tile[data-camera="${camera}"] .badge.stale`);
  await badge.waitFor({ state: 'visible', timeout: args.timeoutMs });
  report('stale', { camera, badge: await badge.innerText(),
    figures: await page.evaluate((cam) => window.posestream.tiles[cam].figures, camera) });
}

async function reconnect(page, args, camera) {
  await waitFor(page, 'the page to show it is disconnected', () => !window.posestream.connected, null, args.timeoutMs);
  const shown = await page.locator('#connection').innerText();
  report('disconnected', { connection: shown });
  const before = await page.evaluate((cam) => window.posestream.tiles[cam].draws, camera);
  await waitFor(page, 'the page to reconnect by itself', () => window.posestream.connected
    && window.posestream.connects >= 2, null, args.timeoutMs);
  const after = await waitFor(page, `a new frame of camera ${camera} after reconnecting`, ([cam, draws]) => {
    const tile = window.posestream.tiles[cam];
    return tile.draws > draws && !tile.stale ? { draws: tile.draws, seq: tile.seq } : null;
  }, [camera, before], args.timeoutMs);
  report('reconnected', { connection: await page.locator('#connection').innerText(),
    connects: await page.evaluate(() => window.posestream.connects), ...after });
}

(async () => {
  const args = parseArgs(process.argv.slice(2));
  const launchArgs = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: launchArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(args.url);
    let camera = args.camera;
    for (const phase of args.phases) {
      if (phase === 'login') await login(page, args);
      else if (phase === 'live') camera = await live(page, args);
      else if (phase === 'analytics') await analytics(page, args, camera);
      else if (phase === 'stale') await stale(page, args, camera);
      else if (phase === 'reconnect') await reconnect(page, args, camera);
      else throw new Error(`unknown phase ${phase}`);
    }
    if (errors.length > 0) throw new Error(`page script errors: ${errors.join('; ')}`);
    report('done', {});
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});

// posestream dashboard: one tile per camera, the latest frame with its tracked skeletons, pushed by the server as
// server-sent events. No framework, no build step. The page's own drawing state is window.posestream, so tests
// (and curious operators in the console) can see what was drawn.
'use strict';
(() => {
  const state = {
    connected: false,
    connects: 0,
    skeleton: null,
    counters: null,
    tiles: {},
    analytics: {}, // camera id -> its latest analytics panel (zones, lines, counts, latest activity events)
  };
  window.posestream = state;

  const tilesEl = document.getElementById('tiles');
  const emptyEl = document.getElementById('empty');
  const connectionEl = document.getElementById('connection');
  const summaryEl = document.getElementById('summary');
  const countersEl = document.getElementById('counters');
  const views = {}; // camera id -> DOM elements and the image last drawn

  // A track's colour is a function of its id alone, so it stays the same from frame to frame (golden-angle hues
  // keep neighbouring ids apart).
  state.trackColor = (trackId) => `hsl(${Math.round((Number(trackId) * 137.508) % 360)}, 90%, 55%)`;

  // Colours of the analytics overlay: zones cyan (red when overcrowded), lines yellow, their positive side marked
  // with an arrow.
  state.overlayColors = { zone: '#00e5ff', overcrowded: '#ff3040', line: '#ffd400' };

  // Colour at (x, y) in source-frame pixels: on the tile's canvas, and in the frame image without the overlay.
  state.probe = (camera, x, y) => {
    const view = views[camera];
    if (!view || !view.image) return null;
    const drawn = view.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
    const plain = document.createElement('canvas');
    plain.width = view.canvas.width;
    plain.height = view.canvas.height;
    const plainCtx = plain.getContext('2d');
    plainCtx.drawImage(view.image, 0, 0, plain.width, plain.height);
    const original = plainCtx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
    return { canvas: Array.from(drawn), image: Array.from(original) };
  };

  function setConnected(connected) {
    state.connected = connected;
    connectionEl.textContent = connected ? '● live' : '○ disconnected, reconnecting…';
    connectionEl.className = 'connection ' + (connected ? 'connected' : 'disconnected');
  }

  async function loadSkeleton() {
    for (;;) {
      try {
        const response = await fetch('api/skeleton', { cache: 'no-store' });
        if (response.ok) return await response.json();
      } catch (e) {
        // server not up yet: retry below
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  function connect() {
    const source = new EventSource('events');
    source.onopen = () => {
      state.connects++;
      setConnected(true);
    };
    source.onerror = () => {
      setConnected(false);
      // The browser retries by itself after a dropped stream; after a refused one (say, an HTTP error) it gives
      // up, so start over.
      if (source.readyState === EventSource.CLOSED) {
        // A refused stream may mean the login expired: then the login form, else try again.
        fetch('api/state', { cache: 'no-store' }).then((r) => {
          if (r.status === 401) window.location.href = 'login';
          else setTimeout(connect, 2000);
        }, () => setTimeout(connect, 2000));
      }
    };
    source.addEventListener('tile', (e) => onTile(JSON.parse(e.data)));
    source.addEventListener('figures', (e) => onFigures(JSON.parse(e.data)));
    source.addEventListener('counters', (e) => onCounters(JSON.parse(e.data)));
    source.addEventListener('analytics', (e) => onAnalytics(JSON.parse(e.data)));
  }

  function tileFor(camera) {
    if (views[camera]) return views[camera];
    const el = document.createElement('section');
    el.className = 'tile';
    el.dataset.camera = camera;
    el.innerHTML = '<header><span class="camera"></span><span class="badge stale">stale</span></header>'
      + '<div class="body"><canvas width="640" height="480"></canvas>'
      + '<aside class="analytics" hidden><ul class="zones"></ul><ol class="activity"></ol></aside></div>'
      + '<div class="figures"></div><ul class="tracks"></ul><div class="skips"></div>';
    el.querySelector('.camera').textContent = camera;
    // Keep tiles ordered by camera id.
    const after = Array.from(tilesEl.querySelectorAll('.tile')).find((t) => t.dataset.camera > camera);
    tilesEl.insertBefore(el, after || null);
    emptyEl.hidden = true;
    const canvas = el.querySelector('canvas');
    const view = {
      el, canvas, ctx: canvas.getContext('2d', { willReadFrequently: true }),
      figuresEl: el.querySelector('.figures'), tracksEl: el.querySelector('.tracks'),
      skipsEl: el.querySelector('.skips'), image: null, latestToken: 0, lastTile: null,
      analyticsEl: el.querySelector('.analytics'), zonesEl: el.querySelector('.zones'),
      activityEl: el.querySelector('.activity'),
    };
    views[camera] = view;
    state.tiles[camera] = {
      seq: -1, draws: 0, posed: false, skeletonsDrawn: 0, limbsDrawn: 0, keypointsDrawn: 0,
      trackIds: [], lostTrackIds: [], segments: [], figures: null, stale: false, overlay: null, overlayDraws: 0,
    };
    return view;
  }

  function onTile(msg) {
    const view = tileFor(msg.camera);
    const token = ++view.latestToken;
    const image = new Image();
    image.onload = () => {
      if (token !== view.latestToken) return; // a newer frame arrived while this one decoded
      draw(msg, view, image);
    };
    image.src = msg.image;
    onFigures(msg.figures);
  }

  // redraw: the same frame drawn again (its overlay changed), not a new one.
  function draw(msg, view, image, redraw) {
    const { canvas, ctx } = view;
    view.lastTile = msg;
    if (canvas.width !== msg.width || canvas.height !== msg.height) {
      canvas.width = msg.width;
      canvas.height = msg.height;
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    ctx.drawImage(image, 0, 0, msg.width, msg.height);
    view.image = image;
    const overlay = drawOverlay(msg, ctx);

    const threshold = state.skeleton.keypointScoreThreshold;
    const limbs = state.skeleton.limbs;
    const scale = Math.max(1, msg.width / 320);
    const segments = [];
    let skeletons = 0;
    let keypointsDrawn = 0;
    const trackIds = [];
    const lostTrackIds = [];
    // A REMOVED track is reported once, in the frame where it ends: nothing to draw.
    const shown = msg.persons.filter((p) => p.state !== 'REMOVED');
    for (const person of shown) {
      const lost = person.state === 'LOST';
      const color = state.trackColor(person.trackId);
      ctx.save();
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.globalAlpha = lost ? 0.45 : 1;
      ctx.setLineDash(lost ? [6 * scale, 4 * scale] : []);
      ctx.lineCap = 'round';
      ctx.lineWidth = 2 * scale;
      const kp = person.keypoints;
      let drawnHere = 0;
      for (const [a, b] of limbs) {
        if (kp[a][2] < threshold || kp[b][2] < threshold) continue;
        ctx.beginPath();
        ctx.moveTo(kp[a][0], kp[a][1]);
        ctx.lineTo(kp[b][0], kp[b][1]);
        ctx.stroke();
        segments.push([kp[a][0], kp[a][1], kp[b][0], kp[b][1], person.trackId, lost]);
        drawnHere++;
      }
      ctx.setLineDash([]);
      for (const [x, y, score] of kp) {
        if (score < threshold) continue;
        ctx.beginPath();
        ctx.arc(x, y, 2.5 * scale, 0, 2 * Math.PI);
        ctx.fill();
        keypointsDrawn++;
        drawnHere++;
      }
      // Box edges thin, so a LOST track's predicted place still shows when no keypoint passes the threshold.
      const [x1, y1, x2, y2] = person.box;
      ctx.lineWidth = scale;
      ctx.setLineDash(lost ? [6 * scale, 4 * scale] : []);
      ctx.globalAlpha = lost ? 0.35 : 0.6;
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      label(ctx, '#' + person.trackId + (lost ? ' lost' : ''), x1, y1, color, scale, lost);
      ctx.restore();
      if (drawnHere > 0) skeletons++;
      (lost ? lostTrackIds : trackIds).push(person.trackId);
    }

    const tile = state.tiles[msg.camera];
    tile.seq = msg.seq;
    tile.captureTime = msg.captureTime;
    tile.posed = msg.posed;
    tile.frameStatus = msg.frameStatus;
    tile.width = msg.width;
    tile.height = msg.height;
    tile.skeletonsDrawn = skeletons;
    tile.limbsDrawn = segments.length;
    tile.keypointsDrawn = keypointsDrawn;
    tile.trackIds = trackIds;
    tile.lostTrackIds = lostTrackIds;
    tile.segments = segments;
    tile.overlay = overlay;
    if (overlay) tile.overlayDraws++;
    if (redraw) return;
    tile.draws++;
    tile.drawnAt = Date.now();

    view.tracksEl.replaceChildren(...shown.map((p) => {
      const li = document.createElement('li');
      li.textContent = '#' + p.trackId;
      li.className = 'track' + (p.state === 'LOST' ? ' lost' : '');
      li.dataset.trackId = p.trackId;
      li.style.color = state.trackColor(p.trackId);
      li.title = p.state + ', score ' + p.score.toFixed(2);
      return li;
    }));
  }

  // The camera's zones and lines from the rules, under the skeletons; returns what was drawn, in frame pixels.
  function drawOverlay(msg, ctx) {
    const panel = state.analytics[msg.camera];
    if (!panel) return null;
    const scale = Math.max(1, msg.width / 320);
    const toPixels = (shape) => shape.points.map(([x, y]) => (shape.normalized ? [x * msg.width, y * msg.height] : [x, y]));
    const colors = state.overlayColors;
    const zones = [];
    const lines = [];
    ctx.save();
    ctx.setLineDash([]);
    ctx.lineJoin = 'round';
    for (const zone of panel.zones) {
      if (zone.points.length < 3) continue; // a count of a zone the rules given to the dashboard do not name
      const points = toPixels(zone);
      const color = zone.overcrowded ? colors.overcrowded : colors.zone;
      ctx.beginPath();
      points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = color;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * scale;
      ctx.stroke();
      const [lx, ly] = points.reduce((top, p) => (p[1] < top[1] ? p : top), points[0]);
      label(ctx, `${zone.name}: ${zone.count === null ? '–' : zone.count}`, lx, ly, color, scale, false);
      zones.push({ name: zone.name, points, color, count: zone.count });
    }
    for (const line of panel.lines) {
      const points = toPixels(line);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colors.line;
      ctx.fillStyle = colors.line;
      ctx.lineWidth = 3 * scale;
      ctx.lineCap = 'round';
      ctx.beginPath();
      points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.stroke();
      // The positive side: the right-hand side walking from the first point to the last, as seen on the image
      // (y down), marked by an arrow from the middle of the first segment, labelled with the crossings each way.
      const [[ax, ay], [bx, by]] = points;
      const length = Math.hypot(bx - ax, by - ay) || 1;
      const [nx, ny] = [-(by - ay) / length, (bx - ax) / length];
      const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
      const reach = 18 * scale;
      const tip = [mx + nx * reach, my + ny * reach];
      ctx.lineWidth = 2 * scale;
      ctx.beginPath();
      ctx.moveTo(mx, my);
      ctx.lineTo(tip[0], tip[1]);
      ctx.stroke();
      const head = 6 * scale;
      ctx.beginPath();
      ctx.moveTo(tip[0] + nx * head, tip[1] + ny * head);
      ctx.lineTo(tip[0] - ny * head, tip[1] + nx * head);
      ctx.lineTo(tip[0] + ny * head, tip[1] - nx * head);
      ctx.closePath();
      ctx.fill();
      label(ctx, `${line.name} +${line.positive} −${line.negative}`, ax, ay, colors.line, scale, false);
      lines.push({ name: line.name, points, color: colors.line, positiveArrow: [[mx, my], tip] });
    }
    ctx.restore();
    return { zones, lines };
  }

  function label(ctx, text, x, y, color, scale, lost) {
    ctx.setLineDash([]);
    ctx.globalAlpha = lost ? 0.6 : 0.9;
    ctx.font = `bold ${Math.round(11 * scale)}px system-ui, sans-serif`;
    const width = ctx.measureText(text).width + 6 * scale;
    const height = 15 * scale;
    const top = Math.max(0, y - height);
    ctx.fillStyle = '#000';
    ctx.fillRect(x, top, width, height);
    ctx.fillStyle = color;
    ctx.fillText(text, x + 3 * scale, top + height - 4 * scale);
  }

  function fmt(value, digits, unit) {
    return value < 0 ? '–' : value.toFixed(digits) + (unit || '');
  }

  function onFigures(f) {
    const view = tileFor(f.cameraId);
    const tile = state.tiles[f.cameraId];
    tile.figures = f;
    tile.stale = f.stale;
    view.el.classList.toggle('stale', f.stale);
    view.figuresEl.innerHTML = '';
    const parts = [
      ['fps in', fmt(f.fpsIn, 1), 'fpsIn'],
      ['fps posed', fmt(f.fpsPosed, 1), 'fpsPosed'],
      ['persons', String(f.persons), 'persons'],
      ['latency', fmt(f.latencyP50Ms, 0, ' ms') + (f.latencyP99Ms >= 0 ? ' (p99 ' + fmt(f.latencyP99Ms, 0, ' ms') + ')' : ''), 'latency'],
      ['lag', f.lag < 0 ? '–' : String(f.lag), 'lag'],
      ['confirmed', f.confirmedShare < 0 ? '–' : (100 * f.confirmedShare).toFixed(0) + '%', 'confirmedShare'],
      ['track life', fmt(f.confirmedLifeP50S, 0, ' s'), 'confirmedLife'],
      ['births', fmt(f.birthsPerMinute, 1, '/min'), 'births'],
    ];
    for (const [name, value, key] of parts) {
      const span = document.createElement('span');
      span.dataset.figure = key;
      span.innerHTML = `<span class="label"></span>`;
      span.firstChild.textContent = name;
      span.append(value);
      view.figuresEl.append(span);
    }
    view.skipsEl.textContent = (f.framesWithoutEvent || f.eventsWithoutFrame)
      ? `frames without event ${f.framesWithoutEvent} · events without frame ${f.eventsWithoutFrame}`
      : '';
    if (f.stale) view.skipsEl.textContent = `no data for ${(f.silentMs / 1000).toFixed(0)} s. ` + view.skipsEl.textContent;
    const cameras = Object.values(state.tiles);
    summaryEl.textContent = `${cameras.length} camera${cameras.length === 1 ? '' : 's'}, `
      + `${cameras.filter((t) => t.stale).length} stale`;
  }

  const KIND_NAMES = {
    ZONE_ENTER: 'entered', ZONE_EXIT: 'left', ZONE_OVERCROWDED: 'overcrowded', ZONE_CLEARED: 'cleared',
    DWELL: 'dwell', LINE_CROSSED: 'crossed', FALL: 'fall', HANDS_RAISED: 'hands raised', OTHER: 'other',
  };

  function onAnalytics(panel) {
    const view = tileFor(panel.camera);
    const previous = state.analytics[panel.camera];
    state.analytics[panel.camera] = panel;
    view.el.classList.add('with-analytics');
    view.analyticsEl.hidden = false;
    view.zonesEl.replaceChildren(
      ...panel.zones.map((z) => {
        const li = document.createElement('li');
        li.className = 'zone' + (z.overcrowded ? ' overcrowded' : '');
        li.dataset.zone = z.name;
        li.dataset.count = z.count === null ? '' : z.count;
        li.textContent = `${z.name}: ${z.count === null ? '–' : z.count}` + (z.overcrowded ? ' overcrowded' : '');
        return li;
      }),
      ...panel.lines.map((l) => {
        const li = document.createElement('li');
        li.className = 'line';
        li.dataset.line = l.name;
        li.textContent = `${l.name}: +${l.positive} −${l.negative}`;
        return li;
      }));
    view.activityEl.replaceChildren(...panel.events.map((e) => {
      const li = document.createElement('li');
      li.dataset.kind = e.kind;
      li.dataset.rule = e.rule;
      if (e.trackId !== null) li.dataset.trackId = e.trackId;
      const parts = [new Date(e.time).toLocaleTimeString(), KIND_NAMES[e.kind] || e.kind, e.rule];
      if (e.trackId !== null) parts.push('#' + e.trackId);
      if (e.direction !== null) parts.push(e.direction > 0 ? 'dir +1' : 'dir −1');
      if (e.durationMs !== null) parts.push((e.durationMs / 1000).toFixed(1) + ' s');
      if (e.zoneCount !== null) parts.push('count ' + e.zoneCount);
      li.textContent = parts.join(' · ');
      if (e.trackId !== null) li.style.color = state.trackColor(e.trackId);
      return li;
    }));
    // The overlay changed (counts, overcrowding, first rules): draw the current frame again with it.
    const changed = !previous || JSON.stringify(previous.zones) !== JSON.stringify(panel.zones)
      || JSON.stringify(previous.lines) !== JSON.stringify(panel.lines);
    if (changed && view.image && view.lastTile) draw(view.lastTile, view, view.image, true);
  }

  function onCounters(c) {
    state.counters = c;
    const skipped = c.framesWithoutEvent + c.eventsWithoutFrame + c.malformedFrames + c.malformedEvents
      + c.malformedAnalytics;
    countersEl.innerHTML = '';
    const line = document.createElement('span');
    line.textContent = `frames ${c.frames} · pose events ${c.events} · joined ${c.joined} · `
      + `frames without event ${c.framesWithoutEvent} · events without frame ${c.eventsWithoutFrame} · `
      + `malformed frames ${c.malformedFrames} · malformed events ${c.malformedEvents}`
      + (c.activities || c.zoneCounts || c.malformedAnalytics
        ? ` · activity events ${c.activities} · zone counts ${c.zoneCounts} · malformed analytics ${c.malformedAnalytics}`
        : '');
    countersEl.append(line);
    if (skipped > 0 && c.lastSkipReason) {
      const reason = document.createElement('div');
      reason.className = 'bad';
      reason.textContent = 'last skipped: ' + c.lastSkipReason;
      countersEl.append(reason);
    }
  }

  setConnected(false);
  loadSkeleton().then((skeleton) => {
    state.skeleton = skeleton;
    connect();
  });
})();

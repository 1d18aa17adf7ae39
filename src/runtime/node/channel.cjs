// The child's end of Gannet's private channel to the pool (see ../frames.ts for the layout).
// Reads frames from fd 3; writes frames to fd 4 with blocking writes, so a record written just
// before process.exit() or a crash is never lost and always precedes the response on the wire.
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const IN_FD = 3;
const OUT_FD = 4;
const PREFIX = 9;

function writeAll(buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(OUT_FD, buf, off, buf.length - off);
    } catch (err) {
      if (err.code === 'EAGAIN') continue;
      // The pool is gone: nothing left to answer to.
      process.reallyExit(1);
    }
  }
}

/** Sends one frame; `body` is a string (written as UTF-8) or a Buffer. */
function send(type, header, body) {
  const headerLen = Buffer.byteLength(header);
  const bodyLen = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const buf = Buffer.allocUnsafe(PREFIX + headerLen + bodyLen);
  buf.writeUInt32LE(5 + headerLen + bodyLen, 0);
  buf[4] = type;
  buf.writeUInt32LE(headerLen, 5);
  buf.write(header, PREFIX, 'utf8');
  if (bodyLen > 0) {
    if (typeof body === 'string') buf.write(body, PREFIX + headerLen, 'utf8');
    else body.copy(buf, PREFIX + headerLen);
  }
  writeAll(buf);
}

/** Starts reading frames; returns the socket so the runtime can ref/unref it. */
function listen(onFrame) {
  const socket = new net.Socket({ fd: IN_FD, readable: true, writable: false });
  // Partial frames wait as a list of chunks and are joined once, when the frame is complete.
  let chunks = [];
  let bytes = 0;
  let need = 0;
  socket.on('data', (chunk) => {
    let buf = chunk;
    if (bytes > 0) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (need === 0 && bytes >= 4) need = 4 + Buffer.concat(chunks, bytes).readUInt32LE(0);
      if (need === 0 || bytes < need) return;
      buf = Buffer.concat(chunks, bytes);
      chunks = [];
      bytes = 0;
      need = 0;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32LE(off);
      if (buf.length - off - 4 < len) break;
      const type = buf[off + 4];
      const headerLen = buf.readUInt32LE(off + 5);
      const headerStart = off + PREFIX;
      const header = buf.toString('utf8', headerStart, headerStart + headerLen);
      const body = buf.subarray(headerStart + headerLen, off + 4 + len);
      off += 4 + len;
      onFrame(type, header, body);
    }
    if (off < buf.length) {
      const rest = buf.subarray(off);
      chunks = [rest];
      bytes = rest.length;
      need = bytes >= 4 ? 4 + rest.readUInt32LE(0) : 0;
    }
  });
  // The pool closed the channel (it stopped this instance or exited itself).
  socket.on('end', () => process.reallyExit(0));
  socket.on('error', () => process.reallyExit(0));
  return socket;
}

const FRAME = { INIT: 1, INVOKE: 2, READY: 3, INIT_ERROR: 4, RESPONSE: 5, ERROR: 6, LOG: 7, OUTPUT: 8, STANDBY: 9 };

module.exports = { send, listen, FRAME };

// WebSocket frame forwarding for relay pairs with a WebSocket leg (the other leg WebSocket or raw TCP).
//
// Hand-written because no library forwards WebSocket frames without reassembling messages: `ws` (like
// websocket-driver and the rest on npm) hands over whole messages, so the relay paid for a reassembly
// copy, a 64 KiB allocation per read left for the GC, and the JS stream machinery per message: 2 to 3
// core-seconds per GB and about 0.5 MiB per stream under 100 streams (issue 6). Here frames pass through
// as they arrive, in the pair's own thread: the header of a client's (masked) frame is rewritten in place
// as the server's (unmasked) one, the payload is unmasked into the same buffer, and the buffer is written
// out; a raw TCP leg's bytes become one binary frame per read; a WebSocket leg's payload goes to a raw leg
// without framing. One fixed buffer per direction bounds what a pair holds: nothing more is read from a
// leg while what was read from it is still being written (TCP flow control does the rest).
//
// The handshake and the hello happen before, in JS with `ws`; legs arrive here at a frame boundary.
// Enforced on what a WebSocket leg sends (RFC 6455, no extension negotiated): RSV bits clear, known
// opcodes, masked, control frames final and at most 125 bytes, continuation frames only inside a
// fragmented message and no new message inside one, 64-bit lengths with the top bit clear, valid close
// codes, messages at most max_message_bytes. A violation closes that leg with 1002 (1009 for size). Pings
// are answered with pongs (one waits at a time, the latest), pongs are dropped, text frames go on as
// binary (the relay carries bytes and never reads them, so neither their UTF-8 nor a close reason is
// validated). A close frame is answered with a close echoing its code and ends that leg; the other leg
// then gets a close 1000 (a raw leg a FIN) once what was in flight is delivered. Control frames go out
// only between forwarded frames. Once a leg has ended, the pair has kClosingMs to finish closing.
#include "websocket-forward.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <poll.h>
#include <sys/socket.h>
#include <time.h>

namespace wsforward {
namespace {

// One read's worth, and most of what a pair holds (one per direction): 48 KiB keeps a pair moving both
// ways under 100 KiB, and still reads a 64 KiB message (the secure channel's largest) in two reads.
constexpr size_t kBufferBytes = 48 * 1024;
// Room in front of a read for the frame header its bytes get when they come from a raw leg.
constexpr size_t kHeadroom = 10;
constexpr size_t kMaxControl = 125;
constexpr int kClosingMs = 10000;

enum Opcode : uint8_t { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };
enum class Payload { kData, kControl, kDropped };

constexpr uint16_t kNormal = 1000, kProtocolError = 1002, kTooBig = 1009;

struct Side {
  int fd = -1;
  bool websocket = false;
  // Control frames for this side, sent when its output is between forwarded frames: a pong and a close.
  uint8_t control[2 * (2 + kMaxControl)];
  size_t control_len = 0, control_sent = 0;
  bool close_queued = false;  // nothing may follow it
  bool close_sent = false;
  bool read_ended = false;   // nothing more is read from it: EOF, its close frame, an error in what it sent
  bool write_shut = false;
  bool abort_write = false;  // its output stopped inside a frame: no close can follow, only a FIN
};

struct Flow {
  Side* from = nullptr;
  Side* to = nullptr;
  std::atomic<uint64_t>* moved = nullptr;
  const std::string* preload = nullptr;
  size_t preload_used = 0;
  std::unique_ptr<uint8_t[]> buffer;
  size_t out_begin = 0, out_end = 0;  // forwarded bytes not yet written
  size_t tail_at = 0, tail = 0;       // a partial frame header, kept for the next read
  // The frame being read from a WebSocket leg.
  bool in_frame = false;
  Payload kind = Payload::kDropped;
  uint8_t opcode = 0;
  uint64_t left = 0;
  uint8_t mask[4] = {0, 0, 0, 0};
  unsigned mask_at = 0;
  uint8_t control[kMaxControl];
  size_t control_len = 0;
  uint8_t message = 0;  // opcode of the fragmented message in progress, 0 if none
  uint64_t message_bytes = 0;

  // `to` has had a frame header whose payload is not all out: nothing else may go between.
  bool mid_frame() const { return in_frame && kind == Payload::kData; }
  bool flushed() const { return out_begin == out_end; }
};

bool again(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

uint64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

size_t header_size(uint64_t length) { return length < 126 ? 2 : length <= 0xffff ? 4 : 10; }

// A server frame header (never masked). Returns its size.
size_t put_header(uint8_t* at, bool fin, uint8_t opcode, uint64_t length) {
  at[0] = static_cast<uint8_t>((fin ? 0x80 : 0) | opcode);
  size_t size = header_size(length);
  at[1] = static_cast<uint8_t>(size == 2 ? length : size == 4 ? 126 : 127);
  for (size_t i = 2; i < size; i++) at[i] = static_cast<uint8_t>(length >> (8 * (size - 1 - i)));
  return size;
}

// Unmasks n bytes from src into dst, where dst <= src (in place or moving towards the front): each word is
// read before it is written, and a write never reaches bytes not yet read.
void unmask_into(uint8_t* dst, const uint8_t* src, size_t n, const uint8_t mask[4], unsigned at) {
  uint8_t m[8];
  for (unsigned i = 0; i < 8; i++) m[i] = mask[(at + i) & 3];
  uint64_t m64;
  std::memcpy(&m64, m, 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, src + i, 8);
    word ^= m64;
    std::memcpy(dst + i, &word, 8);
  }
  for (; i < n; i++) dst[i] = src[i] ^ m[i & 7];
}

bool valid_close_code(unsigned code) {
  return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006) ||
         (code >= 3000 && code <= 4999);
}

void queue_control(Side& side, uint8_t opcode, const uint8_t* payload, size_t length) {
  if (!side.websocket || side.close_queued || side.write_shut) return;
  if (side.control_sent == side.control_len) side.control_len = side.control_sent = 0;
  if (opcode == kPong) {
    if (side.control_sent > 0) return;  // one is on its way out: this ping goes unanswered
    side.control_len = 0;               // an unsent pong gives way to the answer to the latest ping
  }
  size_t size = put_header(side.control + side.control_len, true, opcode, length);
  if (length > 0) std::memcpy(side.control + side.control_len + size, payload, length);
  side.control_len += size + length;
  if (opcode == kClose) side.close_queued = true;
}

void queue_close(Side& side, uint16_t code) {
  uint8_t payload[2] = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code & 0xff)};
  queue_control(side, kClose, payload, 2);
}

// Nothing more is read from the flow's source. A frame cut short leaves `to` unable to take a close.
void source_ended(Flow& f) {
  f.from->read_ended = true;
  if (f.mid_frame() && f.to->websocket) f.to->abort_write = true;
  f.in_frame = false;
}

void fail_leg(Flow& f, uint16_t code) {
  queue_close(*f.from, code);
  source_ended(f);
}

// A protocol violation in a frame's first two bytes, as the close code to answer it with, or 0.
uint16_t check_start(const Flow& f, uint8_t b0, uint8_t b1) {
  uint8_t opcode = b0 & 0x0f, length = b1 & 0x7f;
  bool fin = (b0 & 0x80) != 0;
  if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0) return kProtocolError;  // RSV bits, unmasked
  switch (opcode) {
    case kContinuation:
      return f.message == 0 ? kProtocolError : 0;
    case kText:
    case kBinary:
      return f.message != 0 ? kProtocolError : 0;
    case kClose:
    case kPing:
    case kPong:
      return !fin || length > kMaxControl ? kProtocolError : 0;
    default:
      return kProtocolError;
  }
}

void on_control(Flow& f, uint8_t opcode) {
  if (opcode == kPing) return queue_control(*f.from, kPong, f.control, f.control_len);
  if (opcode == kPong) return;
  if (f.control_len == 1) return fail_leg(f, kProtocolError);
  if (f.control_len >= 2 && !valid_close_code((f.control[0] << 8) | f.control[1]))
    return fail_leg(f, kProtocolError);
  queue_control(*f.from, kClose, f.control, f.control_len >= 2 ? 2 : 0);
  source_ended(f);
}

// Reads one frame header at b + r (end bounds what was read). Returns its size, 0 if incomplete or bad.
size_t start_frame(Flow& f, uint8_t* b, size_t r, size_t end, size_t& w, uint64_t max_message) {
  if (end - r < 2) return 0;
  uint8_t b0 = b[r], b1 = b[r + 1], opcode = b0 & 0x0f, length7 = b1 & 0x7f;
  bool fin = (b0 & 0x80) != 0;
  if (uint16_t code = check_start(f, b0, b1)) return fail_leg(f, code), 0;
  size_t size = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
  if (end - r < size) return 0;
  uint64_t length = length7;
  if (length7 >= 126) {
    length = 0;
    for (size_t i = 2; i < size - 4; i++) length = (length << 8) | b[r + i];
    if (length >> 63) return fail_leg(f, kProtocolError), 0;
  }
  if (opcode < kClose) {
    uint64_t so_far = opcode == kContinuation ? f.message_bytes : 0;
    if (length > max_message || so_far > max_message - length) return fail_leg(f, kTooBig), 0;
    f.message_bytes = so_far + length;
    f.message = fin ? 0 : (opcode == kContinuation ? f.message : opcode);
  }
  std::memcpy(f.mask, b + r + size - 4, 4);
  f.in_frame = true;
  f.opcode = opcode;
  f.left = length;
  f.mask_at = 0;
  f.control_len = 0;
  if (opcode >= kClose) {
    f.kind = Payload::kControl;
  } else if (f.to->close_queued || f.to->write_shut) {
    f.kind = Payload::kDropped;
  } else {
    f.kind = Payload::kData;
    // The new header is 4 bytes shorter than the masked one it replaces, so w stays behind r.
    if (f.to->websocket) w += put_header(b + w, fin, opcode == kText ? uint8_t{kBinary} : opcode, length);
  }
  return size;
}

// Turns the frames read from a WebSocket leg (b[kHeadroom, end)) into what goes to `to`, in place.
void parse_frames(Flow& f, size_t end, uint64_t max_message) {
  uint8_t* b = f.buffer.get();
  size_t r = kHeadroom, w = kHeadroom;
  while (r < end && !f.from->read_ended) {
    if (!f.in_frame) {
      size_t size = start_frame(f, b, r, end, w, max_message);
      if (size == 0) break;
      r += size;
    }
    size_t n = static_cast<size_t>(f.left < end - r ? f.left : end - r);
    if (f.kind == Payload::kData) {
      unmask_into(b + w, b + r, n, f.mask, f.mask_at);
      w += n;
      f.moved->fetch_add(n, std::memory_order_relaxed);
    } else if (f.kind == Payload::kControl) {
      unmask_into(f.control + f.control_len, b + r, n, f.mask, f.mask_at);
      f.control_len += n;
    }
    r += n;
    f.left -= n;
    f.mask_at = (f.mask_at + static_cast<unsigned>(n)) & 3;
    if (f.left > 0) continue;
    f.in_frame = false;
    if (f.kind == Payload::kControl) on_control(f, f.opcode);
  }
  f.out_begin = kHeadroom;
  f.out_end = w;
  f.tail_at = r;
  f.tail = f.from->read_ended ? 0 : end - r;
}

// Frames a raw leg's read (b[kHeadroom, kHeadroom + n)) for a WebSocket `to`: one binary frame.
void frame_raw(Flow& f, size_t n) {
  f.out_begin = f.out_end = kHeadroom + n;
  if (f.to->close_queued || f.to->write_shut) return;  // `to` is closing: nothing more goes to it
  f.moved->fetch_add(n, std::memory_order_relaxed);
  f.out_begin = kHeadroom;
  if (f.to->websocket) f.out_begin -= put_header(f.buffer.get() + kHeadroom - header_size(n), true, kBinary, n);
}

// Reads what comes next from the flow's source (what Node had read first, then the socket) behind the
// kept partial header. Returns the byte count, 0 when nothing came (would block, EOF or error).
size_t fill(Flow& f, std::string& error) {
  uint8_t* at = f.buffer.get() + kHeadroom;
  std::memmove(at, f.buffer.get() + f.tail_at, f.tail);
  f.tail_at = kHeadroom;
  at += f.tail;
  size_t room = kBufferBytes - f.tail;
  if (f.preload_used < f.preload->size()) {
    size_t n = f.preload->size() - f.preload_used < room ? f.preload->size() - f.preload_used : room;
    std::memcpy(at, f.preload->data() + f.preload_used, n);
    f.preload_used += n;
    return n;
  }
  ssize_t n = recv(f.from->fd, at, room, 0);
  if (n > 0) return static_cast<size_t>(n);
  if (n == 0) source_ended(f);
  else if (!again(errno)) error = std::string("read: ") + strerror(errno);
  return 0;
}

bool shut(Side& side) {
  shutdown(side.fd, SHUT_WR);  // fails only when the peer is gone: then there is nothing to end either
  side.write_shut = true;
  return true;
}

// Ends `to`'s output once the flow's source has ended and everything before is out; shuts a WebSocket
// leg's write side after its close handshake (or when its output was cut inside a frame).
bool finish(Flow& f) {
  Side& to = *f.to;
  if (to.write_shut || !f.flushed()) return false;
  if (f.from->read_ended && !f.mid_frame()) {
    if (!to.websocket) return shut(to);
    if (!to.abort_write && !to.close_queued) {
      queue_close(to, kNormal);
      return true;
    }
  }
  if (to.websocket && (to.abort_write || (to.close_sent && to.read_ended))) return shut(to);
  return false;
}

// Sends bytes to `side`; returns whether any went. Sets `error` unless the socket would only block.
bool send_some(Side& side, const uint8_t* data, size_t length, size_t& sent, std::string& error) {
  ssize_t n = send(side.fd, data, length, MSG_NOSIGNAL);
  if (n > 0) {
    sent += static_cast<size_t>(n);
    return true;
  }
  if (n < 0 && again(errno)) return false;
  error = std::string("write: ") + (n == 0 ? "closed" : strerror(errno));
  return false;
}

// Moves what it can in one direction without blocking. Returns true if anything changed.
bool pump(Flow& f, uint64_t max_message, std::string& error) {
  bool progress = false;
  while (error.empty()) {
    Side& to = *f.to;
    if (!f.flushed() && to.write_shut) f.out_begin = f.out_end;  // nobody left to deliver to
    if (!f.flushed()) {
      if (!send_some(to, f.buffer.get() + f.out_begin, f.out_end - f.out_begin, f.out_begin, error)) break;
      progress = true;
      continue;
    }
    if (to.control_sent < to.control_len && !to.write_shut && !f.mid_frame()) {
      if (!send_some(to, to.control + to.control_sent, to.control_len - to.control_sent, to.control_sent, error))
        break;
      if (to.control_sent == to.control_len && to.close_queued) to.close_sent = true;
      progress = true;
      continue;
    }
    if (finish(f)) {
      progress = true;
      continue;
    }
    if (f.from->read_ended) break;
    size_t n = fill(f, error);
    if (n == 0) {
      progress |= f.from->read_ended;
      break;
    }
    progress = true;
    if (f.from->websocket) parse_frames(f, kHeadroom + f.tail + n, max_message);
    else frame_raw(f, n);
  }
  return progress;
}

short wanted(const Side& side, const Flow& out_of, const Flow& into) {
  short events = 0;
  if (!side.read_ended && out_of.flushed() && out_of.preload_used == out_of.preload->size()) events |= POLLIN;
  bool control = side.control_sent < side.control_len && !into.mid_frame();
  if (!side.write_shut && (!into.flushed() || control)) events |= POLLOUT;
  return events;
}

bool finished(const Side& side) { return side.read_ended && side.write_shut; }

}  // namespace

std::string run(const Config& config, int stop_fd, std::atomic<uint64_t>* moved[2]) {
  Side sides[2];
  Flow flows[2];
  for (int i = 0; i < 2; i++) {
    sides[i].fd = config.legs[i].fd;
    sides[i].websocket = config.legs[i].websocket;
    flows[i].from = &sides[i];
    flows[i].to = &sides[1 - i];
    flows[i].moved = moved[i];
    flows[i].preload = &config.legs[i].preload;
    // Not zeroed: pages of a direction that carries little are never touched.
    flows[i].buffer.reset(new uint8_t[kHeadroom + kBufferBytes]);
    flows[i].tail_at = kHeadroom;
  }
  std::string error;
  uint64_t closing_since = 0;
  while (error.empty()) {
    bool progress = true;
    while (progress && error.empty())
      progress = pump(flows[0], config.max_message_bytes, error) | pump(flows[1], config.max_message_bytes, error);
    if (!error.empty() || (finished(sides[0]) && finished(sides[1]))) break;
    bool closing = sides[0].read_ended || sides[1].read_ended || sides[0].write_shut || sides[1].write_shut;
    if (closing && closing_since == 0) closing_since = now_ms();
    int timeout = -1;
    if (closing) {
      uint64_t elapsed = now_ms() - closing_since;
      if (elapsed >= static_cast<uint64_t>(kClosingMs)) break;  // a leg that never finishes closing
      timeout = kClosingMs - static_cast<int>(elapsed);
    }
    // An fd with nothing wanted is left out: a socket closed both ways reports POLLHUP forever.
    short want0 = wanted(sides[0], flows[0], flows[1]), want1 = wanted(sides[1], flows[1], flows[0]);
    pollfd fds[3] = {{want0 ? sides[0].fd : -1, want0, 0}, {want1 ? sides[1].fd : -1, want1, 0}, {stop_fd, POLLIN, 0}};
    int ready = poll(fds, 3, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      error = std::string("poll: ") + strerror(errno);
      break;
    }
    if (fds[2].revents) {
      error = "stopped";
      break;
    }
    // POLLERR/POLLHUP on a socket we wait on means the next read fails or reads EOF; if pumping moves
    // nothing even so, nothing ever will: tear the pair down rather than spin.
    bool broken = ((fds[0].revents | fds[1].revents) & (POLLERR | POLLHUP)) != 0;
    if (broken && !(pump(flows[0], config.max_message_bytes, error) | pump(flows[1], config.max_message_bytes, error)) &&
        error.empty())
      error = "connection reset";
  }
  return error;
}

}  // namespace wsforward

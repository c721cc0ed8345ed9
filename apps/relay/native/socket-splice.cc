// Kernel splice between two connected TCP sockets, for the relay's TCP<->TCP sessions.
//
// Hand-written because no maintained npm package splices two sockets with splice(2): the relay needs
// what haproxy's splice mode does (bytes never enter user space), with per-direction counters, true
// half-close and a stop signal. One thread per pair polls both sockets and moves bytes through one pipe
// per direction; the pipe's capacity bounds what the relay holds, so a side that never reads stops the
// other side's reads (TCP flow control does the rest). The thread never closes the sockets: Node owns
// the fds, and JS destroys them only after the completion callback, so an fd is never reused under us.
//
// JS API: start(fdA, fdB, done(error|null)[, framing]) -> handle; counters(handle) -> [aToB, bToA];
// stop(handle). With `framing` ({ websocket: [a, b], preload: [a, b], maxMessageBytes }) the thread
// forwards WebSocket frames instead of splicing (websocket-forward.cc): pairs with a WebSocket leg.

#include <node_api.h>

#include <atomic>
#include <mutex>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "websocket-forward.h"

namespace {

// Large enough that one splice moves a useful amount, small enough to bound the kernel memory per pair.
constexpr int kPipeBytes = 256 * 1024;

struct Direction {
  int from = -1;
  int to = -1;
  int pipe[2] = {-1, -1};
  size_t capacity = 0;
  size_t pending = 0;  // bytes in the pipe, not yet written to `to`
  bool eof = false;    // `from` has sent FIN
  bool shut = false;   // `to` has been shut down for writing
  std::atomic<uint64_t> moved{0};

  bool finished() const { return eof && pending == 0 && shut; }
};

struct Pair {
  Direction dir[2];
  int stop_fd = -1;
  std::mutex stop_lock;  // guards stop_fd against a stop() racing the thread's end
  napi_threadsafe_function done = nullptr;
  std::string error;
  std::atomic<int> refs{2};  // the thread and the JS handle
  bool framed = false;
  wsforward::Config framing;
};

// Closes the pipes and the stop eventfd as soon as the splice ends, not when JS garbage-collects the
// handle: thousands of short sessions must not sit on five fds each until the next GC.
void close_fds(Pair* pair) {
  for (Direction& d : pair->dir)
    for (int& fd : d.pipe)
      if (fd >= 0) close(fd), fd = -1;
  std::lock_guard<std::mutex> guard(pair->stop_lock);
  if (pair->stop_fd >= 0) close(pair->stop_fd), pair->stop_fd = -1;
}

void release(Pair* pair) {
  if (pair->refs.fetch_sub(1) != 1) return;
  close_fds(pair);
  delete pair;
}

bool again(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

// Moves what it can in one direction without blocking. Returns true if anything changed; sets `error`.
bool pump(Direction& d, std::string& error) {
  bool progress = false;
  while (!d.eof && d.pending < d.capacity) {
    ssize_t n = splice(d.from, nullptr, d.pipe[1], nullptr, d.capacity - d.pending,
                       SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      d.pending += static_cast<size_t>(n);
      progress = true;
    } else if (n == 0) {
      d.eof = true;
      progress = true;
    } else if (again(errno)) {
      break;
    } else {
      error = std::string("read: ") + strerror(errno);
      return true;
    }
  }
  while (d.pending > 0) {
    ssize_t n = splice(d.pipe[0], nullptr, d.to, nullptr, d.pending, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      d.pending -= static_cast<size_t>(n);
      d.moved.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      progress = true;
    } else if (n < 0 && again(errno)) {
      break;
    } else {
      error = std::string("write: ") + (n == 0 ? "closed" : strerror(errno));
      return true;
    }
  }
  if (d.eof && d.pending == 0 && !d.shut) {
    // Half-close: the peer learns the other side is done sending, and may still answer.
    if (shutdown(d.to, SHUT_WR) != 0 && errno != ENOTCONN) error = std::string("shutdown: ") + strerror(errno);
    d.shut = true;
    progress = true;
  }
  return progress;
}

short wanted(const Pair& pair, int fd) {
  short events = 0;
  for (const Direction& d : pair.dir) {
    if (d.from == fd && !d.eof && d.pending < d.capacity) events |= POLLIN;
    if (d.to == fd && d.pending > 0) events |= POLLOUT;
  }
  return events;
}

void run(Pair* pair) {
  int a = pair->dir[0].from, b = pair->dir[0].to;
  while (pair->error.empty()) {
    bool progress = true;
    while (progress && pair->error.empty())
      progress = pump(pair->dir[0], pair->error) | pump(pair->dir[1], pair->error);
    if (!pair->error.empty() || (pair->dir[0].finished() && pair->dir[1].finished())) break;
    // An fd with nothing wanted is left out: a socket closed both ways (our shutdown plus the peer's FIN)
    // reports POLLHUP forever, though the other direction may still be draining into the other socket.
    short want_a = wanted(*pair, a), want_b = wanted(*pair, b);
    pollfd fds[3] = {{want_a ? a : -1, want_a, 0}, {want_b ? b : -1, want_b, 0}, {pair->stop_fd, POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      pair->error = std::string("poll: ") + strerror(errno);
      break;
    }
    if (fds[2].revents) {
      pair->error = "stopped";
      break;
    }
    // POLLERR/POLLHUP on a socket we wait on means the next splice fails or reads EOF; if pumping moves
    // nothing even so, nothing ever will: tear the pair down rather than spin.
    bool broken = ((fds[0].revents | fds[1].revents) & (POLLERR | POLLHUP)) != 0;
    if (broken && !(pump(pair->dir[0], pair->error) | pump(pair->dir[1], pair->error)) && pair->error.empty())
      pair->error = "connection reset";
  }
}

void* thread_main(void* arg) {
  Pair* pair = static_cast<Pair*>(arg);
  if (pair->framed) {
    std::atomic<uint64_t>* moved[2] = {&pair->dir[0].moved, &pair->dir[1].moved};
    pair->error = wsforward::run(pair->framing, pair->stop_fd, moved);
  } else {
    run(pair);
  }
  close_fds(pair);
  napi_call_threadsafe_function(pair->done, pair, napi_tsfn_blocking);
  napi_release_threadsafe_function(pair->done, napi_tsfn_release);
  return nullptr;
}

// Runs on the JS thread: done(null) after a clean finish, done(message) otherwise.
void call_done(napi_env env, napi_value callback, void* /*context*/, void* data) {
  Pair* pair = static_cast<Pair*>(data);
  if (env != nullptr) {
    napi_value arg, undefined;
    napi_get_undefined(env, &undefined);
    if (pair->error.empty())
      napi_get_null(env, &arg);
    else
      napi_create_string_utf8(env, pair->error.c_str(), pair->error.size(), &arg);
    napi_call_function(env, undefined, callback, 1, &arg, nullptr);
  }
  release(pair);
}

napi_value throw_error(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

bool open_pipe(Direction& d) {
  if (pipe2(d.pipe, O_NONBLOCK | O_CLOEXEC) != 0) return false;
  int size = fcntl(d.pipe[1], F_SETPIPE_SZ, kPipeBytes);
  if (size < 0) size = fcntl(d.pipe[1], F_GETPIPE_SZ);
  d.capacity = size > 0 ? static_cast<size_t>(size) : 65536;
  return true;
}

void finalize_handle(napi_env /*env*/, void* data, void* /*hint*/) { release(static_cast<Pair*>(data)); }

// Reads element `index` of the array property `name` of `object`.
bool element(napi_env env, napi_value object, const char* name, uint32_t index, napi_value* value) {
  napi_value array;
  return napi_get_named_property(env, object, name, &array) == napi_ok &&
         napi_get_element(env, array, index, value) == napi_ok;
}

// The optional fourth argument of start(): how each leg is framed and what Node had already read from it.
bool read_framing(napi_env env, napi_value options, wsforward::Config& config) {
  napi_value value;
  double max_message = 0;
  if (napi_get_named_property(env, options, "maxMessageBytes", &value) != napi_ok ||
      napi_get_value_double(env, value, &max_message) != napi_ok || !(max_message >= 1))
    return false;
  config.max_message_bytes = static_cast<uint64_t>(max_message);
  for (uint32_t i = 0; i < 2; i++) {
    bool websocket = false, is_buffer = false;
    void* data = nullptr;
    size_t length = 0;
    if (!element(env, options, "websocket", i, &value) || napi_get_value_bool(env, value, &websocket) != napi_ok ||
        !element(env, options, "preload", i, &value) || napi_is_buffer(env, value, &is_buffer) != napi_ok ||
        !is_buffer || napi_get_buffer_info(env, value, &data, &length) != napi_ok)
      return false;
    config.legs[i].websocket = websocket;
    config.legs[i].preload.assign(static_cast<const char*>(data), length);
  }
  return true;
}

napi_value Start(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  int32_t fd_a = -1, fd_b = -1;
  napi_valuetype callback_type;
  wsforward::Config framing;
  bool framed = argc == 4;
  if (framed && !read_framing(env, args[3], framing))
    return throw_error(env, "start(): framing is { websocket: [bool, bool], preload: [Buffer, Buffer], maxMessageBytes }");
  if (argc < 3 || napi_get_value_int32(env, args[0], &fd_a) != napi_ok ||
      napi_get_value_int32(env, args[1], &fd_b) != napi_ok || napi_typeof(env, args[2], &callback_type) != napi_ok ||
      callback_type != napi_function || fd_a < 0 || fd_b < 0 || fd_a == fd_b)
    return throw_error(env, "start(fdA, fdB, done) takes two distinct fds and a function");
  Pair* pair = new Pair();
  pair->dir[0].from = pair->dir[1].to = fd_a;
  pair->dir[0].to = pair->dir[1].from = fd_b;
  pair->framed = framed;
  pair->framing = std::move(framing);
  pair->framing.legs[0].fd = fd_a;
  pair->framing.legs[1].fd = fd_b;
  pair->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (pair->stop_fd < 0 || (!framed && (!open_pipe(pair->dir[0]) || !open_pipe(pair->dir[1])))) {
    std::string message = std::string("splice pipes: ") + strerror(errno);
    pair->refs = 1;
    release(pair);
    return throw_error(env, message);
  }
  napi_value name, handle;
  napi_create_string_utf8(env, "socketSplice", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, args[2], nullptr, name, 0, 1, nullptr, nullptr, nullptr, call_done,
                                      &pair->done) != napi_ok) {
    pair->refs = 1;
    release(pair);
    return throw_error(env, "splice: could not create the completion callback");
  }
  napi_create_object(env, &handle);
  napi_wrap(env, handle, pair, finalize_handle, nullptr, nullptr);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 64 * 1024);  // the loop needs little; 100s of pairs stay cheap
  pthread_t thread;
  int failed = pthread_create(&thread, &attr, thread_main, pair);
  pthread_attr_destroy(&attr);
  if (failed != 0) {
    napi_release_threadsafe_function(pair->done, napi_tsfn_abort);
    release(pair);  // the thread's reference; the handle's goes with its finalizer
    return throw_error(env, std::string("splice thread: ") + strerror(failed));
  }
  return handle;
}

Pair* unwrap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  if (argc != 1 || napi_unwrap(env, arg, &data) != napi_ok || data == nullptr) {
    napi_throw_type_error(env, nullptr, "expected a handle from start()");
    return nullptr;
  }
  return static_cast<Pair*>(data);
}

napi_value Counters(napi_env env, napi_callback_info info) {
  Pair* pair = unwrap(env, info);
  if (pair == nullptr) return nullptr;
  napi_value result, value;
  napi_create_array_with_length(env, 2, &result);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_double(env, static_cast<double>(pair->dir[i].moved.load(std::memory_order_relaxed)), &value);
    napi_set_element(env, result, i, value);
  }
  return result;
}

napi_value Stop(napi_env env, napi_callback_info info) {
  Pair* pair = unwrap(env, info);
  if (pair == nullptr) return nullptr;
  uint64_t one = 1;
  std::lock_guard<std::mutex> guard(pair->stop_lock);
  // After the thread has ended there is nothing to stop (and no eventfd).
  if (pair->stop_fd >= 0 && write(pair->stop_fd, &one, sizeof one) < 0 && errno != EAGAIN)
    return throw_error(env, strerror(errno));
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"counters", nullptr, Counters, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stop", nullptr, Stop, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 3, properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

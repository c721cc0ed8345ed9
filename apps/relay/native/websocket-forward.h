// Forwarding between two relay legs of which at least one speaks WebSocket (the relay being the server
// side of it), frame by frame, in the pair's own thread. See websocket-forward.cc.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wsforward {

struct Leg {
  int fd = -1;
  bool websocket = false;
  // Bytes Node had already read from this socket before handing it over, forwarded before the socket's own.
  std::string preload;
};

struct Config {
  Leg legs[2];
  // A data message (all its fragments) longer than this closes its sender's leg with 1009.
  uint64_t max_message_bytes = 0;
};

// Moves bytes both ways until both legs are finished, an error, or `stop_fd` becomes readable. Counts the
// payload bytes forwarded from leg 0 to leg 1 in moved[0] and back in moved[1]. Returns "" when the pair
// ended cleanly (both closed, or the closing deadline passed), else why it stopped.
std::string run(const Config& config, int stop_fd, std::atomic<uint64_t>* moved[2]);

}  // namespace wsforward

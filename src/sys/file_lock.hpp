#pragma once
// Exclusive advisory locks (flock) on small lock files that also record the holder's pid, so
// a waiter can say who it waits for.
#include <functional>
#include <string>

namespace mvh {

class FileLock {
 public:
  // Blocks until lock_path (created 0600 with its directory; an existing directory is locked as
  // it is, holder unknown; a symlink is refused) is locked by us. If it is busy,
  // calls on_wait(holder_pid) once first (pid 0 when unknown). Throws Error(Exit::failure)
  // naming lock_path when it cannot be created.
  FileLock(const std::string& lock_path, const std::function<void(long holder_pid)>& on_wait);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
  bool is_dir_ = false;
};

}  // namespace mvh

// The one place that knows where Boost.Process v1 lives. Debian 12 ships Boost 1.74: v1 is
// <boost/process/...> in namespace boost::process. From Boost 1.88 on those names belong to v2
// and v1 moved to <boost/process/v1/...>, namespace boost::process::v1, same API. We stay on v1
// because its extend::handler gives us the hook between fork and exec (process group, signal
// mask, pdeathsig) that v2's POSIX launcher spells differently. Code says `bp::` and includes
// this header, never a Boost.Process header directly.
// CI builds both branches: 1.74 on Debian 12, 1.88 on Debian 13 (ctest trixie.build).
#pragma once

#include <boost/version.hpp>

#if BOOST_VERSION >= 108800
#ifndef BOOST_PROCESS_VERSION
#define BOOST_PROCESS_VERSION 1
#endif
#include <boost/process/v1/args.hpp>
#include <boost/process/v1/async_pipe.hpp>
#include <boost/process/v1/child.hpp>
#include <boost/process/v1/exe.hpp>
#include <boost/process/v1/extend.hpp>
#include <boost/process/v1/group.hpp>
#include <boost/process/v1/io.hpp>
namespace mvh {
namespace bp = boost::process::v1;
}
#else
#include <boost/process/args.hpp>
#include <boost/process/async_pipe.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/group.hpp>
#include <boost/process/io.hpp>
namespace mvh {
namespace bp = boost::process;
}
#endif

// The one platform shim: the C library (maths such as exp, log1p and nextafter; system calls
// such as open, flock and posix_spawn) under the name this platform gives it, re-exported so that
// no other file needs a `#if canImport(Glibc)` of its own.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif

// KLMath's files, and every module that imports KLMath, get the C library's maths from here.
@_exported import Platform

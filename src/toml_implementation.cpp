// toml++'s implementation, compiled once into the program (CMakeLists.txt: TOML_HEADER_ONLY=0 in
// every file, this one defines TOML_IMPLEMENTATION) instead of loading Debian's shared library.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>

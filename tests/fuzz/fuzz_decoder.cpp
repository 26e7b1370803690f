// SPDX-License-Identifier: MIT
// libFuzzer target for the protocol decoder: arbitrary bytes must never crash it, and whatever it
// accepts must survive an encode/decode round trip unchanged.
#include "protocol/codec.h"

#include <cstdint>
#include <cstdlib>

using namespace neonchat::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    const auto client = decodeClientFrame(input);
    if (client.ok()) {
        const auto again = decodeClientFrame(encode(client.value()));
        if (!again.ok() || !(again.value() == client.value())) {
            std::abort();
        }
    }
    const auto server = decodeServerFrame(input);
    if (server.ok()) {
        const auto again = decodeServerFrame(encode(server.value()));
        if (!again.ok()) {
            std::abort();
        }
    }
    return 0;
}

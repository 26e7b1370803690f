// SPDX-License-Identifier: MIT
// libFuzzer target for the server's WebSocket frame reader: arbitrary bytes, fed whole and in
// pieces, must never crash it, must give the same result either way, and nothing it hands on may
// be larger than its message limit or (for text) anything but valid UTF-8.
#include "net/wsframing.h"

#include <cstdint>
#include <cstdlib>

using namespace neonchat::server::ws;

namespace {

constexpr qint64 kLimit = 4096;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

struct Outcome {
    QList<Received> received;
    std::optional<Violation> violation;
};

Outcome read(QByteArrayView input, qsizetype piece) {
    FrameReader reader(kLimit);
    Outcome outcome;
    for (qsizetype at = 0; at < input.size() && !outcome.violation; at += piece) {
        outcome.violation =
            reader.feed(input.sliced(at, std::min(piece, input.size() - at)), outcome.received);
    }
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const Outcome whole = read(input, std::max<qsizetype>(1, input.size()));
    const Outcome pieces = read(input, 3);
    check(whole.received.size() == pieces.received.size());
    check(whole.violation.has_value() == pieces.violation.has_value());
    if (whole.violation) {
        check(whole.violation->closeCode == pieces.violation->closeCode);
    }
    for (qsizetype i = 0; i < whole.received.size(); ++i) {
        const Received &item = whole.received[i];
        check(item.kind == pieces.received[i].kind && item.text == pieces.received[i].text &&
              item.payload == pieces.received[i].payload);
        check(item.payload.size() <= kLimit);
        if (item.kind == Received::Kind::Text) {
            check(item.text.toUtf8().size() <= kLimit);
            check(QString::fromUtf8(item.text.toUtf8()) == item.text);
        }
    }
    // What the server writes frames again to the same bytes.
    const QByteArray frame = encodeFrame(Opcode::Binary, input);
    check(frame.size() >= input.size() + 2 && frame.endsWith(input.toByteArray()));
    return 0;
}

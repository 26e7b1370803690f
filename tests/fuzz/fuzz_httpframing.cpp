// SPDX-License-Identifier: MIT
// libFuzzer target for the front's HTTP request framing: arbitrary bytes must never crash it, a
// head it accepts must lie within the input and the limits, the chunked decoder must never take
// more than it was given nor grow a body past its limit, and what Qt's server is handed must
// frame again as the same request.
#include "net/httpframing.h"

#include <cstdint>
#include <cstdlib>

using namespace neonchat::server::http;

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    FramingLimits limits;
    limits.maxHeadBytes = 2048;
    limits.maxTargetBytes = 512;
    limits.maxHeaderCount = 20;
    limits.maxBodyBytes = 4096;

    const HeadResult result = parseRequestHead(input, limits);
    if (const auto *head = std::get_if<RequestHead>(&result)) {
        check(head->headLength > 0 && head->headLength <= input.size());
        check(head->headLength <= limits.maxHeadBytes + 16);
        check(head->headers.size() <= limits.maxHeaderCount);
        check(head->contentLength >= 0 && head->contentLength <= limits.maxBodyBytes);
        const QByteArray body =
            input.sliced(head->headLength)
                .first(std::min<qsizetype>(input.size() - head->headLength, head->contentLength))
                .toByteArray();
        const QByteArray forwarded = serializeForBackend(*head, body);
        const HeadResult again = parseRequestHead(forwarded, FramingLimits{});
        const auto *reframed = std::get_if<RequestHead>(&again);
        check(reframed != nullptr);
        check(reframed->method == head->method && reframed->target == head->target);
        check(reframed->contentLength == body.size());
        check(forwarded.sliced(reframed->headLength) == body);
        if (head->bodyFraming == BodyFraming::Chunked) {
            ChunkedBody chunked(limits.maxBodyBytes);
            const QByteArrayView rest = input.sliced(head->headLength);
            const qsizetype taken = chunked.feed(rest);
            check(taken >= 0 && taken <= rest.size());
            check(chunked.body().size() <= limits.maxBodyBytes);
        }
    } else if (const auto *error = std::get_if<FramingError>(&result)) {
        check(error->status >= 400 && error->status < 600 && !error->code.isEmpty());
    }

    bool malformed = false;
    if (const auto response = parseResponseHead(input, &malformed)) {
        check(response->headLength <= input.size());
        if (response->contentLength <= input.size() - response->headLength) {
            const QByteArray finished = finishResponse(
                input.first(response->headLength + response->contentLength), *response, true);
            check(!finished.isEmpty());
        }
    }
    return 0;
}

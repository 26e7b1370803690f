// SPDX-License-Identifier: MIT
#include "hub.h"

#include "obs/log.h"
#include "protocol/codec.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

QString frameText(const protocol::ServerFrame &frame) {
    return QString::fromUtf8(protocol::encode(frame));
}

ChatKind chatKindFromName(const QString &kind) {
    if (kind == "lobby"_L1) {
        return ChatKind::Lobby;
    }
    if (kind == "direct"_L1) {
        return ChatKind::Direct;
    }
    return kind == "room"_L1 ? ChatKind::Room : ChatKind::Unknown;
}

} // namespace

Hub::Hub(MessageStore &store, Metrics &metrics, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics) {
    qRegisterMetaType<DeliveryPtr>();
    qRegisterMetaType<Submission>();
    qRegisterMetaType<SyncSubmission>();
}

void Hub::submit(const Submission &submission) {
    m_store.append(submission.record, this,
                   [this, submission](AppendResult result) { stored(submission, result); });
}

void Hub::stored(const Submission &submission, const AppendResult &result) {
    const std::optional<QString> &requestId = submission.record.requestId;
    auto delivery = std::make_shared<Delivery>();
    delivery->chatId = submission.record.chatId;
    delivery->originSession = submission.sessionKey;
    if (const auto *error = std::get_if<StoreError>(&result)) {
        qCWarning(lcHub) << "storing a message failed:" << error->message;
        m_metrics.messageSent(delivery->chatId == protocol::kLobbyId ? ChatKind::Lobby
                                                                     : ChatKind::Unknown,
                              SendStatus::Failed);
        delivery->originFrames.append(frameText(protocol::ErrorFrame{
            QString(protocol::ErrorCode::Internal),
            u"the message could not be stored; it was not sent"_s, requestId}));
        Q_EMIT delivered(delivery);
        return;
    }
    const auto &outcome = std::get<AppendOutcome>(result);
    delivery->originFrames.append(frameText(protocol::MessageSent{requestId, outcome.message}));
    m_metrics.messageSent(chatKindFromName(outcome.chatKind),
                          outcome.duplicate ? SendStatus::Duplicate : SendStatus::Delivered);
    if (!outcome.duplicate) {
        m_metrics.messageIn();
        delivery->fanOutFrame = frameText(protocol::NewMessage{outcome.message});
        delivery->receivedAt = submission.receivedAt;
        delivery->deliverySeconds = &m_metrics.deliverySeconds();
    }
    Q_EMIT delivered(delivery);
}

void Hub::sync(const SyncSubmission &request) {
    m_store.messagesAfter(
        request.chatId, request.afterSeq, kSyncBatch + 1, this,
        [this, request](MessagesResult result) {
            auto delivery = std::make_shared<Delivery>();
            delivery->chatId = request.chatId;
            delivery->originSession = request.sessionKey;
            if (const auto *error = std::get_if<StoreError>(&result)) {
                qCWarning(lcHub) << "reading messages for sync failed:" << error->message;
                delivery->originFrames.append(frameText(protocol::ErrorFrame{
                    QString(protocol::ErrorCode::Internal),
                    u"the history could not be read; try sync again"_s, std::nullopt}));
                Q_EMIT delivered(delivery);
                return;
            }
            const auto &messages = std::get<QList<protocol::ChatMessage>>(result);
            const qsizetype count = std::min<qsizetype>(messages.size(), kSyncBatch);
            for (qsizetype i = 0; i < count; ++i) {
                delivery->originFrames.append(frameText(protocol::NewMessage{messages[i]}));
            }
            delivery->originFrames.append(
                frameText(protocol::SyncDone{request.chatId, messages.size() > kSyncBatch}));
            Q_EMIT delivered(delivery);
        });
}

} // namespace neonchat::server

// SPDX-License-Identifier: MIT
// The other instances of a cluster as the hub sees them: where its fan-out events go, and where
// theirs and the cluster's presence come from. RedisLink (cluster/) is the implementation; without
// --redis the hub has none and its fan-out stays with its own workers. Lives on the hub's thread.
#pragma once

#include "cluster/clusterevent.h"

#include <QObject>
#include <QStringList>

namespace neonchat::server {

class Peers : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Starts talking to the others (on the thread the object lives on).
    virtual void open() = 0;
    // The instance stops: the others stop counting it and announce its accounts offline.
    virtual void leave() = 0;
    // Fire and forget: published after the commit it reports; one that cannot be published is
    // left to the others' healing.
    virtual void publish(ClusterEvent event) = 0;
    // The first session of an account on this instance opened, or its last one closed.
    virtual void accountArrived(const QString &userId) = 0;
    virtual void accountDeparted(const QString &userId) = 0;

Q_SIGNALS:
    // Another instance's event.
    void received(const neonchat::server::ClusterEvent &event);
    // The others' events reach this instance (again): what was published before may be missing
    // and must be read from the database.
    void listening();
    // Another instance could not publish for a while: what it stored meanwhile must be read from
    // the database.
    void othersMissedEvents();
    // An account came online or went offline cluster-wide. announce: this instance caused it (or
    // found the instance that had the account gone) and tells the account's contacts.
    void presenceChanged(const QString &userId, bool online, bool announce);
    // Every account online in the cluster; the presenceChanged signals that follow are the
    // changes since.
    void presenceRead(const QStringList &userIds);
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::ClusterEvent)

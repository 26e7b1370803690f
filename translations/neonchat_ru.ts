<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Main</name>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="18"/>
        <source>NeonChat — Lobby</source>
        <translation>NeonChat — Общий чат</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="40"/>
        <location filename="../client-qml/qml/Main.qml" line="41"/>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="48"/>
        <location filename="../client-qml/qml/Main.qml" line="49"/>
        <source>Your name</source>
        <translation>Ваше имя</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="54"/>
        <source>Joining…</source>
        <translation>Вход…</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="54"/>
        <source>Join</source>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="56"/>
        <source>Join the lobby</source>
        <translation>Войти в общий чат</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="78"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="109"/>
        <source>Message the lobby</source>
        <translation>Написать в общий чат</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="111"/>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="116"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../client-qml/qml/Main.qml" line="117"/>
        <source>Send message</source>
        <translation>Отправить сообщение</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::ChatListModel</name>
    <message>
        <location filename="../client-qml/chatlistmodel.cpp" line="27"/>
        <source>Lobby</source>
        <translation>Общий чат</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::LobbySession</name>
    <message>
        <location filename="../client-qml/lobbysession.cpp" line="32"/>
        <source>Message not sent: %1</source>
        <translation>Сообщение не отправлено: %1</translation>
    </message>
    <message>
        <location filename="../client-qml/lobbysession.cpp" line="36"/>
        <source>Disconnected: %1</source>
        <translation>Соединение разорвано: %1</translation>
    </message>
    <message>
        <location filename="../client-qml/lobbysession.cpp" line="37"/>
        <source>Cannot connect: %1</source>
        <translation>Не удаётся подключиться: %1</translation>
    </message>
    <message>
        <location filename="../client-qml/lobbysession.cpp" line="66"/>
        <source>The server address must start with ws:// or wss://</source>
        <translation>Адрес сервера должен начинаться с ws:// или wss://</translation>
    </message>
    <message>
        <location filename="../client-qml/lobbysession.cpp" line="70"/>
        <source>Choose a name of 1 to %1 characters</source>
        <translation>Выберите имя длиной от 1 до %1 символов</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ChatDelegate</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n непрочитанное</numerusform>
            <numerusform>%1, %n непрочитанных</numerusform>
            <numerusform>%1, %n непрочитанных</numerusform>
        </translation>
    </message>
    <message>
        <source>online</source>
        <translation>в сети</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>не в сети</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>без уведомлений</translation>
    </message>
</context>
<context>
    <name>ChatListPane</name>
    <message>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
    <message>
        <source>Follow the system theme</source>
        <translation>Тема как в системе</translation>
    </message>
    <message>
        <source>Light theme</source>
        <translation>Светлая тема</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>Тёмная тема</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Чаты</translation>
    </message>
    <message>
        <source>Mute all notifications</source>
        <translation>Отключить все уведомления</translation>
    </message>
    <message>
        <source>Unmute notifications</source>
        <translation>Включить уведомления</translation>
    </message>
    <message>
        <source>Mute notifications</source>
        <translation>Отключить уведомления</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Message %1</source>
        <translation>Сообщение для %1</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Чаты</translation>
    </message>
    <message>
        <source>Delete this message?</source>
        <translation>Удалить это сообщение?</translation>
    </message>
    <message>
        <source>It is deleted for everyone in the chat.</source>
        <translation>Оно будет удалено у всех участников чата.</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Поиск сообщений</translation>
    </message>
    <message>
        <source>Search messages (Ctrl+F)</source>
        <translation>Поиск сообщений (Ctrl+F)</translation>
    </message>
    <message>
        <source>Unmute notifications</source>
        <translation>Включить уведомления</translation>
    </message>
    <message>
        <source>Mute notifications</source>
        <translation>Отключить уведомления</translation>
    </message>
</context>
<context>
    <name>ChatSwitcher</name>
    <message>
        <source>Go to chat…</source>
        <translation>Перейти в чат…</translation>
    </message>
    <message>
        <source>Go to chat</source>
        <translation>Перейти в чат</translation>
    </message>
    <message>
        <source>Matching chats</source>
        <translation>Подходящие чаты</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Текст сообщения</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation>%1 из %2 символов</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <source>Editing your message</source>
        <translation>Редактирование вашего сообщения</translation>
    </message>
    <message>
        <source>Replying to %1: %2</source>
        <translation>Ответ для %1: %2</translation>
    </message>
    <message>
        <source>Cancel the edit</source>
        <translation>Отменить редактирование</translation>
    </message>
    <message>
        <source>Cancel the reply</source>
        <translation>Отменить ответ</translation>
    </message>
    <message>
        <source>uploading…</source>
        <translation>загружается…</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Убрать %1</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Прикрепить файлы</translation>
    </message>
    <message>
        <source>Attach files (or drop them here, or paste an image)</source>
        <translation>Прикрепить файлы (или перетащите их сюда, или вставьте изображение)</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s…</source>
        <translation>
            <numerusform>Переподключение через %n с…</numerusform>
            <numerusform>Переподключение через %n с…</numerusform>
            <numerusform>Переподключение через %n с…</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Переподключение…</translation>
    </message>
    <message>
        <source>Offline: %1</source>
        <translation>Нет связи: %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message numerus="yes">
        <source>No connection (%1). Trying again in %n s…</source>
        <translation>
            <numerusform>Нет связи (%1). Новая попытка через %n с…</numerusform>
            <numerusform>Нет связи (%1). Новая попытка через %n с…</numerusform>
            <numerusform>Нет связи (%1). Новая попытка через %n с…</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Повторить сейчас</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Emoji</source>
        <translation>Эмодзи</translation>
    </message>
    <message>
        <source>Any other emoji: type or paste it, then Enter</source>
        <translation>Любой другой эмодзи: введите или вставьте его и нажмите Enter</translation>
    </message>
    <message>
        <source>Other emoji</source>
        <translation>Другой эмодзи</translation>
    </message>
</context>
<context>
    <name>ListState</name>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>NeonChat</source>
        <translation>NeonChat</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>Создание учётной записи</translation>
    </message>
    <message>
        <source>Log in to your server</source>
        <translation>Вход на ваш сервер</translation>
    </message>
    <message>
        <source>Server address, e.g. http://localhost:8080</source>
        <translation>Адрес сервера, например http://localhost:8080</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>Подождите…</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Создать учётную запись</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>I have an account</source>
        <translation>У меня есть учётная запись</translation>
    </message>
    <message>
        <source>Create an account instead</source>
        <translation>Создать учётную запись</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>(%1) NeonChat</source>
        <translation>(%1) NeonChat</translation>
    </message>
    <message>
        <source>NeonChat</source>
        <translation>NeonChat</translation>
    </message>
    <message>
        <source>NeonChat is still running</source>
        <translation>NeonChat продолжает работать</translation>
    </message>
    <message>
        <source>It stays in the tray. Quit it from the tray&apos;s menu or with Ctrl+Q.</source>
        <translation>Он остаётся в трее. Выйти можно из меню значка в трее или по Ctrl+Q.</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>%1 at %2: %3</source>
        <translation>%1 в %2: %3</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>отправляется…</translation>
    </message>
    <message>
        <source>not sent: %1</source>
        <translation>не отправлено: %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Send this message again</source>
        <translation>Отправить это сообщение ещё раз</translation>
    </message>
    <message>
        <source>Copy selection</source>
        <translation>Копировать выделенное</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Копировать текст</translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation>Копировать адрес ссылки</translation>
    </message>
    <message>
        <source>New messages</source>
        <translation>Новые сообщения</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 Б</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 КБ</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <source>Earlier message</source>
        <translation>Более раннее сообщение</translation>
    </message>
    <message>
        <source>In reply to %1: %2</source>
        <translation>В ответ на сообщение %1: %2</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>Это сообщение удалено.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save %1</source>
        <translation>Сохранить %1</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>изменено</translation>
    </message>
    <message>
        <source>%1, %2, yours: take it back</source>
        <translation>%1, %2, ваша реакция: убрать</translation>
    </message>
    <message>
        <source>%1, %2: react so too</source>
        <translation>%1, %2: отреагировать так же</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>React</source>
        <translation>Реакция</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>Ещё…</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Сообщений пока нет. Поздоровайтесь!</translation>
    </message>
    <message>
        <source>Go to the newest message</source>
        <translation>К последнему сообщению</translation>
    </message>
    <message numerus="yes">
        <source>Go to the newest message, %n unread</source>
        <translation>
            <numerusform>К новейшему сообщению, %n непрочитанное</numerusform>
            <numerusform>К новейшему сообщению, %n непрочитанных</numerusform>
            <numerusform>К новейшему сообщению, %n непрочитанных</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Человек</translation>
    </message>
    <message>
        <source>Start a direct chat</source>
        <translation>Начать личный чат</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Комната</translation>
    </message>
    <message>
        <source>Join or create a room</source>
        <translation>Войти в комнату или создать её</translation>
    </message>
    <message>
        <source>Search people by name</source>
        <translation>Поиск людей по имени</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Люди</translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation>%1, в сети</translation>
    </message>
    <message>
        <source>New room name</source>
        <translation>Название новой комнаты</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Создать</translation>
    </message>
    <message>
        <source>Create the room</source>
        <translation>Создать комнату</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Комнаты</translation>
    </message>
    <message numerus="yes">
        <source>#%1 (%n members)</source>
        <translation>
            <numerusform>#%1 (%n участник)</numerusform>
            <numerusform>#%1 (%n участника)</numerusform>
            <numerusform>#%1 (%n участников)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, joined</source>
        <translation>%1, вы участник</translation>
    </message>
    <message>
        <source>Join %1</source>
        <translation>Войти в %1</translation>
    </message>
    <message>
        <source>No one&apos;s name starts with “%1”.</source>
        <translation>Нет никого, чьё имя начинается с «%1».</translation>
    </message>
    <message>
        <source>No one else has an account yet.</source>
        <translation>Больше ни у кого пока нет учётной записи.</translation>
    </message>
    <message>
        <source>No rooms yet: name one above and create it.</source>
        <translation>Комнат пока нет: введите название выше и создайте её.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Search messages…</source>
        <translation>Поиск сообщений…</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Поиск сообщений</translation>
    </message>
    <message>
        <source>This chat only</source>
        <translation>Только в этом чате</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Ничего не найдено.</translation>
    </message>
    <message>
        <source>Messages found</source>
        <translation>Найденные сообщения</translation>
    </message>
    <message>
        <source>%1 in %2, %3: %4</source>
        <translation>%1 в чате %2, %3: %4</translation>
    </message>
    <message>
        <source>%1 in %2 · %3</source>
        <translation>%1 в чате %2 · %3</translation>
    </message>
</context>
<context>
    <name>ServerError</name>
    <message>
        <source>The server did not accept the request.</source>
        <translation>Сервер не принял запрос.</translation>
    </message>
    <message>
        <source>The server did not accept the message.</source>
        <translation>Сервер не принял сообщение.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Неверное имя пользователя или пароль.</translation>
    </message>
    <message>
        <source>That username is taken.</source>
        <translation>Это имя пользователя уже занято.</translation>
    </message>
    <message>
        <source>Your session has expired. Please log in again.</source>
        <translation>Сеанс истёк. Войдите снова.</translation>
    </message>
    <message>
        <source>You are not allowed to do that.</source>
        <translation>Вам нельзя этого сделать.</translation>
    </message>
    <message>
        <source>It is not there any more, or you are not a member of that chat.</source>
        <translation>Этого больше нет, или вы не участник этого чата.</translation>
    </message>
    <message>
        <source>Too many attempts. Try again in a minute.</source>
        <translation>Слишком много попыток. Попробуйте через минуту.</translation>
    </message>
    <message>
        <source>That is larger than the server takes.</source>
        <translation>Это больше, чем принимает сервер.</translation>
    </message>
    <message>
        <source>The server cannot take this kind of data.</source>
        <translation>Сервер не принимает такие данные.</translation>
    </message>
    <message>
        <source>That message was deleted.</source>
        <translation>Это сообщение удалено.</translation>
    </message>
    <message>
        <source>That message has as many different reactions as it can.</source>
        <translation>У этого сообщения уже максимум разных реакций.</translation>
    </message>
    <message>
        <source>That clashes with a change made meanwhile.</source>
        <translation>Это противоречит изменению, сделанному тем временем.</translation>
    </message>
    <message>
        <source>The server could not do that just now. Try again in a moment.</source>
        <translation>Сервер сейчас не смог это сделать. Попробуйте чуть позже.</translation>
    </message>
    <message>
        <source>Server unreachable: %1</source>
        <translation>Сервер недоступен: %1</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::Account</name>
    <message>
        <source>Cannot keep your session: %1</source>
        <translation>Не удалось сохранить ваш сеанс: %1</translation>
    </message>
    <message>
        <source>“%1” is not a server address like http://localhost:8080</source>
        <translation>«%1» — не адрес сервера вида http://localhost:8080</translation>
    </message>
    <message>
        <source>Enter a username and a password.</source>
        <translation>Введите имя пользователя и пароль.</translation>
    </message>
    <message>
        <source>The server ended your session (%1). Please log in again.</source>
        <translation>Сервер завершил ваш сеанс (%1). Войдите снова.</translation>
    </message>
    <message>
        <source>Cannot forget your session: %1</source>
        <translation>Не удалось удалить ваш сеанс: %1</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::AttachmentListModel</name>
    <message>
        <source>At most %1 files go with one message.</source>
        <translation>К одному сообщению можно приложить не больше %1 файлов.</translation>
    </message>
    <message>
        <source>Not logged in.</source>
        <translation>Вход не выполнен.</translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation>Такого файла нет.</translation>
    </message>
    <message>
        <source>Pasted image %1.png</source>
        <translation>Вставленное изображение %1.png</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::ChatListModel</name>
    <message>
        <source>Lobby</source>
        <translation>Общий чат</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message>
        <source>You: %1</source>
        <translation>Вы: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::ChatSession</name>
    <message>
        <source>Disconnected: %1</source>
        <translation>Соединение разорвано: %1</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 в %2</translation>
    </message>
    <message>
        <source>A message needs some text.</source>
        <translation>В сообщении должен быть текст.</translation>
    </message>
    <message>
        <source>A message has at most %1 characters.</source>
        <translation>В сообщении не больше %1 символов.</translation>
    </message>
    <message>
        <source>The file could not be saved (%1): %2</source>
        <translation>Не удалось сохранить файл (%1): %2</translation>
    </message>
    <message>
        <source>The files are not all uploaded yet (or one failed: remove it).</source>
        <translation>Ещё не все файлы загружены (или один не загрузился: уберите его).</translation>
    </message>
    <message>
        <source>%1 mentioned you in %2</source>
        <translation>%1 упоминает вас в %2</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::MessageListModel</name>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message>
        <source>Cannot load messages: %1</source>
        <translation>Не удалось загрузить сообщения: %1</translation>
    </message>
    <message>
        <source>Not connected: the messages will show once the connection is back.</source>
        <translation>Нет связи: сообщения появятся, когда связь восстановится.</translation>
    </message>
    <message>
        <source>Deleted message</source>
        <translation>Удалённое сообщение</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::SearchModel</name>
    <message>
        <source>Not connected: search again once the connection is back.</source>
        <translation>Нет связи: повторите поиск, когда связь восстановится.</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>Поиск не удался: %1</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::TrayIcon</name>
    <message numerus="yes">
        <source>NeonChat: %n unread</source>
        <translation>
            <numerusform>NeonChat: %n непрочитанное</numerusform>
            <numerusform>NeonChat: %n непрочитанных</numerusform>
            <numerusform>NeonChat: %n непрочитанных</numerusform>
        </translation>
    </message>
    <message>
        <source>Open NeonChat</source>
        <translation>Открыть NeonChat</translation>
    </message>
    <message>
        <source>Quit NeonChat</source>
        <translation>Выйти из NeonChat</translation>
    </message>
    <message>
        <source>Mute all notifications</source>
        <translation>Отключить все уведомления</translation>
    </message>
</context>
<context>
    <name>neonchat::desktop::TypingTracker</name>
    <message>
        <source>Someone</source>
        <translation>Кто-то</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 печатает…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 и %2 печатают…</translation>
    </message>
    <message numerus="yes">
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n человек печатает…</numerusform>
            <numerusform>%n человека печатают…</numerusform>
            <numerusform>%n человек печатают…</numerusform>
        </translation>
    </message>
</context>
</TS>

"""Demo data content for Kliento: staff, customers and what they write.

Pure data, no logic. The demo company ("Demo") is an online retailer and
service business in Latvia, Poland, Serbia, Estonia, Hungary and the UK.
All names, e-mail addresses and phone numbers are fictitious.
Hungarian customer names are written family name first, as in Hungarian.
"""

from __future__ import annotations

from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "lv", "pl", "sr", "sr-latn", "et", "hu")

TEAMS: list[str] = ["Support Riga", "Support Warsaw", "Support Belgrade"]

STAFF: list[dict[str, str]] = [
    {
        "email": "oliver.bennett@demo.example",
        "first_name": "Oliver",
        "last_name": "Bennett",
        "role": "admin",
        "language": "en",
        "team": "",
    },
    {
        "email": "ilze.kalnina@demo.example",
        "first_name": "Ilze",
        "last_name": "Kalniņa",
        "role": "manager",
        "language": "lv",
        "team": "Support Riga",
    },
    {
        "email": "kadri.tamm@demo.example",
        "first_name": "Kadri",
        "last_name": "Tamm",
        "role": "agent",
        "language": "et",
        "team": "Support Riga",
    },
    {
        "email": "katarzyna.nowak@demo.example",
        "first_name": "Katarzyna",
        "last_name": "Nowak",
        "role": "agent",
        "language": "pl",
        "team": "Support Warsaw",
    },
    {
        "email": "bence.szabo@demo.example",
        "first_name": "Bence",
        "last_name": "Szabó",
        "role": "agent",
        "language": "hu",
        "team": "Support Warsaw",
    },
    {
        "email": "nikola.jovanovic@demo.example",
        "first_name": "Nikola",
        "last_name": "Jovanović",
        "role": "agent",
        "language": "sr",
        "team": "Support Belgrade",
    },
]

CUSTOMERS: list[dict[str, Any]] = [
    # Latvia
    {
        "name": "Anna Bērziņa",
        "language": "lv",
        "email": "anna.berzina@example.lv",
        "phone": "+37126481937",
        "tags": ["loyalty"],
        "vip": True,
        "notes": "Long-standing customer, prefers e-mail over phone.",
        "mood": "happy",
        "social": {"network": "instagram", "handle": "@anna.berzina"},
    },
    {
        "name": "Jānis Kalniņš",
        "language": "lv",
        "email": "janis.kalnins@example.lv",
        "phone": "+37129034512",
        "tags": ["b2b"],
        "vip": False,
        "notes": "Orders office supplies for a small accounting firm in Jelgava.",
        "mood": "mixed",
    },
    {
        "name": "Līga Ozoliņa",
        "language": "lv",
        "email": "liga.ozolina@example.lv",
        "phone": "+37125517804",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Edgars Liepiņš",
        "language": "lv",
        "email": "edgars.liepins@example.lv",
        "phone": "+37120398461",
        "tags": ["returning"],
        "vip": False,
        "notes": "Two damaged deliveries in a row last spring.",
        "mood": "unhappy",
    },
    {
        "name": "Kristīne Krūmiņa",
        "language": "lv",
        "email": "kristine.krumina@example.lv",
        "phone": "+37126770243",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Raimonds Zariņš",
        "language": "lv",
        "email": "raimonds.zarins@example.lv",
        "phone": "+37122845619",
        "tags": ["wholesale"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Inese Vītola",
        "language": "lv",
        "email": "inese.vitola@example.lv",
        "phone": "+37128163075",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Artūrs Pētersons",
        "language": "lv",
        "email": "arturs.petersons@example.lv",
        "phone": "+37127409358",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Dace Eglīte",
        "language": "lv",
        "email": "dace.eglite@example.lv",
        "phone": "+37129950136",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "Usually picks up at the Teika service point.",
        "mood": "mixed",
    },
    {
        "name": "Kārlis Jansons",
        "language": "lv",
        "email": "karlis.jansons@example.lv",
        "phone": "+37124618820",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    # Poland
    {
        "name": "Agnieszka Wiśniewska",
        "language": "pl",
        "email": "agnieszka.wisniewska@example.pl",
        "phone": "+48601482937",
        "tags": ["loyalty"],
        "vip": True,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Tomasz Kowalczyk",
        "language": "pl",
        "email": "tomasz.kowalczyk@example.pl",
        "phone": "+48512094386",
        "tags": ["b2b", "wholesale"],
        "vip": False,
        "notes": "Buys for three cafés in Kraków; invoices go to the company NIP.",
        "mood": "mixed",
    },
    {
        "name": "Małgorzata Zielińska",
        "language": "pl",
        "email": "malgorzata.zielinska@example.pl",
        "phone": "+48693217540",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Paweł Wójcik",
        "language": "pl",
        "email": "pawel.wojcik@example.pl",
        "phone": "+48784306512",
        "tags": ["returning"],
        "vip": False,
        "notes": "Escalated twice about late deliveries. Handle with care.",
        "mood": "unhappy",
    },
    {
        "name": "Joanna Kamińska",
        "language": "pl",
        "email": "joanna.kaminska@example.pl",
        "phone": "+48507611284",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "instagram", "handle": "@asia.kaminska"},
    },
    {
        "name": "Michał Lewandowski",
        "language": "pl",
        "email": "michal.lewandowski@example.pl",
        "phone": "+48661940273",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Magdalena Dąbrowska",
        "language": "pl",
        "email": "magdalena.dabrowska@example.pl",
        "phone": "+48728553019",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Krzysztof Szymański",
        "language": "pl",
        "email": "krzysztof.szymanski@example.pl",
        "phone": "+48502877146",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "unhappy",
    },
    {
        "name": "Ewa Woźniak",
        "language": "pl",
        "email": "ewa.wozniak@example.pl",
        "phone": "+48881235470",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Łukasz Grabowski",
        "language": "pl",
        "email": "lukasz.grabowski@example.pl",
        "phone": "+48795412068",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    # Serbia (Cyrillic)
    {
        "name": "Јелена Марковић",
        "language": "sr",
        "email": "jelena.markovic@example.rs",
        "phone": "+381645518203",
        "tags": ["loyalty"],
        "vip": True,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Драган Николић",
        "language": "sr",
        "email": "dragan.nikolic@example.rs",
        "phone": "+381631947625",
        "tags": ["b2b"],
        "vip": False,
        "notes": "Owns a hardware shop in Čačak; orders in bulk before the season.",
        "mood": "mixed",
    },
    {
        "name": "Ана Ђорђевић",
        "language": "sr",
        "email": "ana.djordjevic@example.rs",
        "phone": "+381607742918",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "instagram", "handle": "@ana.djordjevic"},
    },
    {
        "name": "Милош Стојановић",
        "language": "sr",
        "email": "milos.stojanovic@example.rs",
        "phone": "+381652209473",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Љиљана Павловић",
        "language": "sr",
        "email": "ljiljana.pavlovic@example.rs",
        "phone": "+381628816034",
        "tags": [],
        "vip": False,
        "notes": "Prefers calls after 17:00.",
        "mood": "mixed",
    },
    # Serbia (Latin)
    {
        "name": "Marko Ilić",
        "language": "sr-latn",
        "email": "marko.ilic@example.rs",
        "phone": "+381669035127",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Jovana Stanković",
        "language": "sr-latn",
        "email": "jovana.stankovic@example.rs",
        "phone": "+381613572840",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Nemanja Đurić",
        "language": "sr-latn",
        "email": "nemanja.djuric@example.rs",
        "phone": "+381644780316",
        "tags": [],
        "vip": False,
        "notes": "Open complaint: vacuum cleaner repair took over a month.",
        "mood": "unhappy",
    },
    {
        "name": "Tijana Popović",
        "language": "sr-latn",
        "email": "tijana.popovic@example.rs",
        "phone": "+381637261509",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "facebook", "handle": "@tijana.popovic.ns"},
    },
    {
        "name": "Vladimir Živković",
        "language": "sr-latn",
        "email": "vladimir.zivkovic@example.rs",
        "phone": "+381604418792",
        "tags": ["wholesale"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    # Estonia
    {
        "name": "Kristiina Kask",
        "language": "et",
        "email": "kristiina.kask@example.ee",
        "phone": "+37255182734",
        "tags": ["loyalty"],
        "vip": True,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Margus Saar",
        "language": "et",
        "email": "margus.saar@example.ee",
        "phone": "+37253407916",
        "tags": ["b2b"],
        "vip": False,
        "notes": "IT manager at a logistics firm in Tallinn; orders laptops and accessories.",
        "mood": "happy",
    },
    {
        "name": "Triin Mägi",
        "language": "et",
        "email": "triin.magi@example.ee",
        "phone": "+37256629041",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Andres Sepp",
        "language": "et",
        "email": "andres.sepp@example.ee",
        "phone": "+37258813470",
        "tags": ["returning"],
        "vip": False,
        "notes": "Parcel locker code failed twice; refund for delivery fee issued.",
        "mood": "unhappy",
    },
    {
        "name": "Liis Kuusk",
        "language": "et",
        "email": "liis.kuusk@example.ee",
        "phone": "+37251946208",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "instagram", "handle": "@liiskuusk"},
    },
    {
        "name": "Jüri Põld",
        "language": "et",
        "email": "juri.pold@example.ee",
        "phone": "+37255370652",
        "tags": [],
        "vip": False,
        "notes": "Lives in Tartu, uses the Tartu service point.",
        "mood": "happy",
    },
    {
        "name": "Maarja Lepik",
        "language": "et",
        "email": "maarja.lepik@example.ee",
        "phone": "+37254098317",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Rasmus Kõiv",
        "language": "et",
        "email": "rasmus.koiv@example.ee",
        "phone": "+37258251943",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "unhappy",
    },
    {
        "name": "Kersti Rebane",
        "language": "et",
        "email": "kersti.rebane@example.ee",
        "phone": "+37252764085",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Tõnis Oja",
        "language": "et",
        "email": "tonis.oja@example.ee",
        "phone": "+37256517329",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    # Hungary
    {
        "name": "Kovács Péter",
        "language": "hu",
        "email": "peter.kovacs@example.hu",
        "phone": "+36304518276",
        "tags": ["b2b"],
        "vip": True,
        "notes": "Runs an IT reseller in Győr; invoices need the company tax number.",
        "mood": "happy",
    },
    {
        "name": "Nagy Eszter",
        "language": "hu",
        "email": "eszter.nagy@example.hu",
        "phone": "+36209873145",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "facebook", "handle": "@nagy.eszter"},
    },
    {
        "name": "Tóth Gábor",
        "language": "hu",
        "email": "gabor.toth@example.hu",
        "phone": "+36706214583",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Horváth Réka",
        "language": "hu",
        "email": "reka.horvath@example.hu",
        "phone": "+36305572918",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Varga Zoltán",
        "language": "hu",
        "email": "zoltan.varga@example.hu",
        "phone": "+36203308671",
        "tags": ["wholesale"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Kiss Anikó",
        "language": "hu",
        "email": "aniko.kiss@example.hu",
        "phone": "+36701945226",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Molnár Dániel",
        "language": "hu",
        "email": "daniel.molnar@example.hu",
        "phone": "+36308821754",
        "tags": ["returning"],
        "vip": False,
        "notes": "Disputed a delivery fee in March; refunded as goodwill.",
        "mood": "unhappy",
    },
    {
        "name": "Németh Zsófia",
        "language": "hu",
        "email": "zsofia.nemeth@example.hu",
        "phone": "+36204467390",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Farkas Ádám",
        "language": "hu",
        "email": "adam.farkas@example.hu",
        "phone": "+36709152637",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Balogh Katalin",
        "language": "hu",
        "email": "katalin.balogh@example.hu",
        "phone": "+36302780419",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "Calls rather than e-mails; speaks Hungarian only.",
        "mood": "happy",
    },
    # United Kingdom
    {
        "name": "Sarah Thompson",
        "language": "en",
        "email": "sarah.thompson@example.co.uk",
        "phone": "+447912483605",
        "tags": ["loyalty"],
        "vip": True,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "James Whitfield",
        "language": "en",
        "email": "james.whitfield@example.co.uk",
        "phone": "+447834219760",
        "tags": ["b2b"],
        "vip": False,
        "notes": "Facilities manager for a group of dental practices in Leeds.",
        "mood": "mixed",
    },
    {
        "name": "Priya Patel",
        "language": "en",
        "email": "priya.patel@example.co.uk",
        "phone": "+447568301947",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "happy",
        "social": {"network": "instagram", "handle": "@priya.makes"},
    },
    {
        "name": "Daniel O'Connor",
        "language": "en",
        "email": "dan.oconnor@example.co.uk",
        "phone": "+447402876153",
        "tags": ["returning"],
        "vip": False,
        "notes": "Threatened a chargeback over a missing parcel in January.",
        "mood": "unhappy",
    },
    {
        "name": "Emma Hughes",
        "language": "en",
        "email": "emma.hughes@example.co.uk",
        "phone": "+447723649018",
        "tags": ["new"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Gareth Lloyd",
        "language": "en",
        "email": "gareth.lloyd@example.co.uk",
        "phone": "+447961054382",
        "tags": [],
        "vip": False,
        "notes": "Works nights; prefers text messages to calls.",
        "mood": "happy",
    },
    {
        "name": "Hannah Clarke",
        "language": "en",
        "email": "hannah.clarke@example.co.uk",
        "phone": "+447385920476",
        "tags": [],
        "vip": False,
        "notes": "",
        "mood": "mixed",
    },
    {
        "name": "Mohammed Rahman",
        "language": "en",
        "email": "mohammed.rahman@example.co.uk",
        "phone": "+447507318824",
        "tags": ["wholesale"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
    {
        "name": "Lucy Fletcher",
        "language": "en",
        "email": "lucy.fletcher@example.co.uk",
        "phone": "+447846271530",
        "tags": ["returning"],
        "vip": False,
        "notes": "",
        "mood": "unhappy",
        "social": {"network": "x", "handle": "@lucyfletch"},
    },
    {
        "name": "Callum MacLeod",
        "language": "en",
        "email": "callum.macleod@example.co.uk",
        "phone": "+447491663208",
        "tags": ["loyalty"],
        "vip": False,
        "notes": "",
        "mood": "happy",
    },
]

VOICES: dict[str, dict[str, list[str]]] = {
    "en": {
        "negative": [
            "Parcel turned up four days late and the box was crushed at one corner. Not impressed.",
            "Waited 47 minutes on hold just to be told to send an email instead. Ridiculous.",
            "I was charged twice for the same order and it's been two weeks without a refund.",
            "The app crashes every time I open my order history. Reinstalled it, still the same.",
            "Courier marked it as delivered but nothing arrived. Nobody seems to know where it is.",
            (
                "The woman at the service point was quite rude and basically told me it wasn't her "
                "problem."
            ),
            (
                "Ordered a blue kettle, got a white one. Now I have to sort out a return for your "
                "mistake."
            ),
            (
                "Invoice has the wrong VAT number on it again. Third time I've asked for this to "
                "be fixed!"
            ),
            "delivery slot was 8-12, driver showed up at 6pm. took a day off work for nothing",
            "Promised a callback within 24 hours. Still waiting, five days later.",
            "Your chatbot just goes round in circles. I want to speak to an actual person.",
            (
                "Refund came back as store credit even though I specifically asked for it to go "
                "back on my card."
            ),
            "The item was clearly used, scratches on the screen and fingerprints all over it.",
            (
                "Got passed between three departments and had to explain everything from scratch "
                "each time."
            ),
            (
                "Payment went through but the order never appeared in my account. No reply to my "
                "emails either 😕"
            ),
        ],
        "neutral": [
            "Delivery was on time, though the packaging was a bit over the top for one small item.",
            "Sorted in the end, but it took two calls to get there.",
            "The app works fine, I just wish it remembered my delivery address.",
            "Staff at the service point were polite. Queue was long for a Tuesday morning.",
            "Refund came through after about ten days, which is roughly what I was told.",
            "Ordered Monday, arrived Thursday. No complaints, nothing special either.",
            "The agent answered my question, but it took about 15 minutes to get through.",
            "Fine overall. Tracking could update a bit more often.",
        ],
        "positive": [
            (
                "Really quick delivery, ordered Tuesday evening and it was here by Wednesday "
                "lunchtime. Brilliant."
            ),
            "Sophie on the phone was brilliant, sorted my refund in five minutes flat.",
            "Had a problem with my invoice and it was fixed the same day. Thanks!",
            "Driver rang ahead, was really friendly and even carried it up to the third floor.",
            "Great service at the Leeds service point, the repair was done while I waited.",
            "Honestly didn't expect a replacement so fast after I reported the damage. Well done.",
            "The new app is so much better, checkout takes seconds now.",
            (
                "Lovely, patient agent who talked my mum through setting up her account. Much "
                "appreciated."
            ),
            "Refund was in my account two days after I dropped off the return. Spot on.",
            "Everything arrived well packed and exactly as described. Will order again.",
            "Rang about a missing part and they sent it out next day free of charge. Cheers!",
            "Fast, polite and no fuss. That's all I want really.",
            "Jack in customer services went above and beyond to track down my parcel 👍",
            "First time ordering and the whole thing was smooth, from payment to delivery.",
            "Appreciated the honest heads-up when my order was delayed, and the discount code.",
        ],
    },
    "lv": {
        "negative": [
            (
                "Paka pienāca četras dienas vēlāk, nekā solīts, un kaste bija saspiesta. Ļoti "
                "nepatīkami."
            ),
            "Gaidīju pie telefona 40 minūtes, lai beigās dzirdētu, ka jāraksta e-pasts. Nopietni?",
            (
                "Par vienu un to pašu pasūtījumu nauda noņemta divreiz, bet atmaksu joprojām "
                "neesmu saņēmusi."
            ),
            (
                "Aplikācija izmet ārā katru reizi, kad atveru pasūtījumu vēsturi. Pārinstalēju – "
                "nekas nemainījās."
            ),
            (
                "Kurjers atzīmēja, ka sūtījums piegādāts, bet es neko neesmu saņēmis. Neviens "
                "nevar pateikt, kur tas ir."
            ),
            (
                "Klientu apkalpošanas punktā darbiniece bija ļoti nelaipna, būtībā pateica, ka tā "
                "nav viņas problēma."
            ),
            "Pasūtīju zilu tējkannu, atsūtīja baltu. Tagad man jākārto atgriešana jūsu kļūdas dēļ.",
            "Rēķinā atkal norādīts nepareizs PVN numurs. Jau trešo reizi lūdzu to izlabot!",
            "piegādes laiks bija no 9 līdz 12, kurjers atbrauca 18:00. velti paņēmu brīvdienu",
            "Solījāt atzvanīt 24 stundu laikā. Pagājušas piecas dienas – klusums.",
            "Prece acīmredzami lietota: ekrāns saskrāpēts, uz korpusa pirkstu nospiedumi.",
            "Mani savienoja ar trim dažādiem speciālistiem, un katram viss bija jāstāsta no jauna.",
            "Naudas vietā iedeva dāvanu karti, lai gan skaidri prasīju atmaksu uz kontu.",
            "Pakomātā paka tā arī neparādījās, lai gan SMS ar kodu atnāca. Kur mana prece?",
            "Samaksāju, bet pasūtījums manā kontā neparādās. Uz e-pastiem neviens neatbild 😕",
        ],
        "neutral": [
            "Piegāde laikā, tikai vienai mazai lietiņai bija par daudz iepakojuma.",
            "Beigās viss atrisinājās, bet bija jāzvana divas reizes.",
            "Lietotne strādā normāli, tikai katru reizi no jauna jāievada piegādes adrese.",
            "Darbinieki pieklājīgi, bet otrdienas rītā rinda bija gara.",
            "Atmaksa pienāca pēc kādām 10 dienām, kā jau solīja.",
            "Pasūtīju pirmdien, saņēmu ceturtdien. Nekas īpašs, bet arī nav, par ko sūdzēties.",
            "Uz jautājumu atbildēja, tikai savienojums bija jāgaida kādas 15 minūtes.",
            "Kopumā normāli. Sūtījuma statuss varētu atjaunoties biežāk.",
        ],
        "positive": [
            "Ļoti ātra piegāde – pasūtīju otrdienas vakarā, trešdien pusdienlaikā jau bija mājās.",
            "Ilze pa telefonu bija lieliska, atmaksu nokārtoja piecās minūtēs.",
            "Rēķinā bija kļūda, bet to izlaboja tajā pašā dienā. Paldies!",
            "Kurjers iepriekš piezvanīja, bija ļoti laipns un uznesa paku līdz trešajam stāvam.",
            "Servisa punktā Teikā remontu izdarīja, kamēr gaidīju. Super!",
            "Negaidīju, ka bojātās preces vietā jaunu atsūtīs tik ātri. Malači!",
            "Jaunā lietotne ir daudz ērtāka, pasūtījumu noformēju dažās sekundēs.",
            "Ļoti pacietīga konsultante palīdzēja mammai izveidot kontu. Liels paldies!",
            "Nauda atpakaļ kontā divas dienas pēc preces atdošanas. Tieši kā solīts.",
            "Viss atnāca labi iepakots un tieši tāds, kā aprakstīts. Pasūtīšu vēl.",
            "Trūka vienas detaļas – nākamajā dienā atsūtīja bez maksas 👍",
            "Ātri, pieklājīgi un bez liekas birokrātijas.",
            "Mārtiņš no klientu atbalsta tiešām pacentās un atrada manu paku.",
            "Pirmo reizi pasūtīju, un viss noritēja gludi – no apmaksas līdz piegādei.",
            "Paldies, ka godīgi informējāt par kavēšanos un iedevāt atlaides kodu.",
        ],
    },
    "pl": {
        "negative": [
            "Paczka przyszła cztery dni po terminie, a karton był zgnieciony. Słabo.",
            "Czekałam na infolinii 40 minut, żeby usłyszeć, że mam napisać maila. Żenada.",
            "Pobraliście mi pieniądze dwa razy za to samo zamówienie, a zwrotu dalej nie ma.",
            (
                "Aplikacja wywala się za każdym razem, gdy wchodzę w historię zamówień. "
                "Reinstalacja nic nie dała."
            ),
            (
                "Kurier oznaczył przesyłkę jako doręczoną, a ja nic nie dostałem. Nikt nie wie, "
                "gdzie jest paczka."
            ),
            (
                "Pani w punkcie obsługi była bardzo nieuprzejma i dała mi do zrozumienia, że to "
                "nie jej problem."
            ),
            (
                "Zamówiłam niebieski czajnik, przyszedł biały. Teraz muszę bawić się w zwrot przez "
                "wasz błąd."
            ),
            "Na fakturze znowu jest zły NIP. Proszę o poprawkę już trzeci raz!",
            "okno dostawy 8-12, kurier przyjechał o 18. wziąłem wolne w pracy na darmo",
            "Obiecaliście oddzwonić w ciągu 24 godzin. Minęło pięć dni i cisza.",
            "Towar ewidentnie używany – porysowany ekran i odciski palców na obudowie.",
            (
                "Przełączano mnie między trzema działami i za każdym razem musiałem wszystko "
                "tłumaczyć od nowa."
            ),
            "Zamiast zwrotu na kartę dostałam bon, chociaż wyraźnie prosiłam o zwrot pieniędzy.",
            (
                "Paczkomat był pełny i paczkę przekierowano do innego, 5 km dalej. Nikt mnie nie "
                "uprzedził."
            ),
            (
                "BLIK przeszedł, a zamówienie dalej wisi jako nieopłacone. Na maile nikt nie "
                "odpisuje 😕"
            ),
        ],
        "neutral": [
            "Dostawa na czas, tylko trochę za dużo kartonu jak na jedną małą rzecz.",
            "Ostatecznie sprawa załatwiona, ale musiałem dzwonić dwa razy.",
            "Aplikacja działa, ale za każdym razem trzeba wpisywać adres od nowa.",
            "Obsługa w punkcie uprzejma, za to kolejka we wtorek rano dość długa.",
            "Zwrot przyszedł po około 10 dniach, czyli tak, jak mówili.",
            "Zamówione w poniedziałek, dotarło w czwartek. Bez rewelacji, ale też bez zastrzeżeń.",
            "Konsultant odpowiedział na pytanie, tylko na połączenie czekałam ok. 15 minut.",
            "Ogólnie w porządku. Status przesyłki mógłby się częściej aktualizować.",
        ],
        "positive": [
            (
                "Błyskawiczna dostawa – zamówiłem we wtorek wieczorem, w środę w południe paczka "
                "była u mnie."
            ),
            "Pani Kasia z infolinii super, zwrot załatwiony w pięć minut.",
            "Był błąd na fakturze, poprawili tego samego dnia. Dziękuję!",
            "Kurier zadzwonił wcześniej, bardzo miły, wniósł paczkę na trzecie piętro.",
            "W punkcie serwisowym na Mokotowie naprawili wszystko od ręki, jeszcze jak czekałam.",
            "Nie spodziewałam się, że wymiana uszkodzonego towaru pójdzie tak szybko. Brawo!",
            "Nowa aplikacja jest dużo wygodniejsza, zamówienie składam w kilka sekund.",
            "Bardzo cierpliwy konsultant pomógł mojemu tacie założyć konto. Wielkie dzięki!",
            "Pieniądze wróciły na konto dwa dni po oddaniu towaru. Tak jak obiecano.",
            "Wszystko dobrze zapakowane i zgodne z opisem. Na pewno jeszcze zamówię.",
            "Brakowało jednej części – następnego dnia dosłali ją gratis 👍",
            "Szybko, kulturalnie i bez zbędnych formalności.",
            "Pan Marcin z obsługi klienta naprawdę się postarał i odnalazł moją paczkę.",
            "Pierwsze zamówienie i wszystko poszło gładko, od płatności po dostawę.",
            "Doceniam uczciwą informację o opóźnieniu i kod rabatowy na przeprosiny.",
        ],
    },
    "sr": {
        "negative": [
            "Пакет је стигао четири дана касније, а кутија је била згњечена. Нисам задовољна.",
            "Чекао сам на вези 40 минута да би ми на крају рекли да пошаљем мејл. Срамота.",
            "Скинули сте ми новац двапут за исту поруџбину, а повраћај још увек нисам добила.",
            (
                "Апликација се руши сваки пут кад отворим историју поруџбина. Поново сам је "
                "инсталирао, ништа."
            ),
            (
                "Курир је означио да је пошиљка испоручена, а мени ништа није стигло. Нико не зна "
                "где је пакет."
            ),
            (
                "Девојка у пословници је била баш непријатна, практично ми је рекла да то није њен "
                "проблем."
            ),
            (
                "Наручила сам плаво кувало за воду, а стигло је бело. Сад ја треба да се бавим "
                "враћањем због ваше грешке."
            ),
            "На рачуну је опет погрешан ПИБ. Већ трећи пут тражим да се исправи!",
            "термин доставе од 8 до 12, курир дошао у 6 поподне. џабе сам узео слободан дан",
            "Обећали сте да ћете ме позвати у року од 24 сата. Прошло је пет дана, ништа.",
            "Роба је очигледно коришћена – изгребан екран и отисци прстију на кућишту.",
            (
                "Пребацивали су ме из службе у службу и свакоме сам морала све испочетка да "
                "објашњавам."
            ),
            (
                "Уместо повраћаја новца на картицу добила сам ваучер, иако сам јасно тражила новац "
                "назад."
            ),
            "Пакетомат неће да се отвори, а на броју за подршку се нико не јавља.",
            "Платио сам, а поруџбина се не види на налогу. На мејл нико не одговара 😕",
        ],
        "neutral": [
            "Достава на време, само је било превише амбалаже за једну ситницу.",
            "На крају је решено, али сам морао двапут да зовем.",
            "Апликација ради, али сваки пут морам поново да уносим адресу.",
            "Особље у пословници љубазно, мада је у уторак ујутру била прилична гужва.",
            "Повраћај је легао после десетак дана, отприлике како су и рекли.",
            "Наручено у понедељак, стигло у четвртак. Ништа посебно, али ни замерки немам.",
            "Оператерка ми је одговорила на питање, само сам на везу чекала око 15 минута.",
            "Све у свему у реду. Праћење пошиљке би могло чешће да се ажурира.",
        ],
        "positive": [
            "Супер брза достава – наручио сам у уторак увече, у среду у подне је већ стигло.",
            "Никола из кол центра је био одличан, повраћај решен за пет минута.",
            "Била је грешка на рачуну, исправили су је истог дана. Хвала!",
            "Курир се јавио пре доласка, врло љубазан, и још ми је унео пакет на трећи спрат.",
            "У сервису на Новом Београду су ми поправили уређај док сам чекала.",
            "Нисам очекивала да ће замена оштећеног производа бити овако брза. Свака част!",
            "Нова апликација је много боља, поруџбину завршим за пар секунди.",
            (
                "Веома стрпљива девојка из корисничке подршке помогла је мојој мами да направи "
                "налог. Хвала пуно!"
            ),
            "Новац ми је легао на рачун два дана након што сам вратио робу. Тачно како су обећали.",
            "Све је стигло лепо упаковано и баш као на слици. Наручујем опет.",
            "Фалио је један део – послали су га сутрадан бесплатно 👍",
            "Брзо, културно и без компликовања.",
            "Јелена из подршке се стварно потрудила и пронашла мој пакет.",
            "Први пут наручујем и све је прошло глатко, од плаћања до доставе.",
            "Ценим што сте ме искрено обавестили о кашњењу и послали код за попуст.",
        ],
    },
    "sr-latn": {
        "negative": [
            "Kurir je kasnio tri dana i nije se uopšte javio. Paket sam na kraju podigla u pošti.",
            "Zvao sam call centar četiri puta i svaki put čekao po pola sata.",
            "Dobio sam fakturu sa tuđim imenom i adresom. Ozbiljno?",
            "Aplikacija se zamrzne čim pokušam da platim karticom. Probala sam tri puta.",
            "Frižider je stigao ulubljen sa strane, a dostavljači su samo slegnuli ramenima.",
            "Operater je bio bezobrazan i prekinuo mi je vezu usred razgovora.",
            "Čekam povraćaj novca već tri nedelje. Svaki put mi kažu „još malo“.",
            "U poslovnici u Novom Sadu nisu hteli da prime reklamaciju bez originalne kutije.",
            "naplatili ste mi dostavu iako piše da je besplatna preko 5.000 dinara",
            "Poručila sam dve stvari, stigla je samo jedna, a u mejlu piše da je sve poslato.",
            "Obećali ste servis u roku od 7 dana, prošlo je mesec dana i telefon je još kod vas.",
            "Niko ne odgovara na mejlove. Kao da pišem u prazno.",
            "Posle ažuriranja me aplikacija stalno izloguje i ne pamti korpu.",
            "Dostavljač je ostavio paket ispred zgrade, na kiši. Kutija potpuno mokra.",
            "Savetnik u poslovnici mi je prodao pogrešan punjač i još tvrdio da je isti!",
        ],
        "neutral": [
            "Paket stigao u roku, ali kurir nije hteo da ga unese u stan.",
            "Reklamacija je prihvaćena, videćemo koliko će trajati.",
            "Operaterka je bila ljubazna, ali nije znala odgovor pa treba da me pozove neko drugi.",
            "Aplikacija je ok, malo je spora kad ima puno stvari u korpi.",
            "Cene su u redu, dostava je mogla da bude brža.",
            "Dobio sam ono što sam naručio. Ništa više, ništa manje.",
            "Povraćaj je odobren, ali novac još nije legao.",
            "U poslovnici je bila gužva, ali su radili brzo.",
        ],
        "positive": [
            "Dostava za jedan dan, i to do Kragujevca! Svaka čast.",
            "Milica iz korisničkog servisa je sve rešila u jednom pozivu. Hvala joj puno!",
            "Pogrešan račun su ispravili odmah i poslali novi na mejl.",
            "Kurir izuzetno ljubazan, sačekao je da proverim robu pre nego što sam potpisala.",
            "Reklamacija rešena za tri dana, dobio sam potpuno nov uređaj.",
            "Aplikacija radi odlično, praćenje pošiljke je stvarno precizno.",
            "Momci u servisu na Vračaru su mi sve objasnili u detalje, bez žurbe.",
            "Novac vraćen na karticu za dva dana, bez ikakvog natezanja.",
            "Sve je stiglo lepo upakovano, ništa oštećeno. Preporuka!",
            (
                "Javila sam se zbog kašnjenja i odmah su mi ponudili besplatnu dostavu za sledeću "
                "porudžbinu 🙂"
            ),
            "Prvi put da mi neko iz call centra zaista pomogne, a ne samo da me prebacuje dalje.",
            "Sve profesionalno i brzo, naručujem ponovo.",
            (
                "Stefan me je sam pozvao da proveri da li je sve u redu posle popravke. Retko to "
                "viđam."
            ),
            "Odlična komunikacija, sve vreme sam znao gde mi je paket.",
            "Hvala na strpljenju, baka je konačno naučila da naručuje preko aplikacije!",
        ],
    },
    "et": {
        "negative": [
            "Pakk jõudis kohale neli päeva hiljem ja karp oli mõlgis. Ei ole rahul.",
            "Ootasin telefonil 40 minutit, et lõpuks kuulda, et pean hoopis e-kirja saatma.",
            (
                "Sama tellimuse eest võeti kaardilt kaks korda raha ja tagasimakset pole siiani "
                "tulnud."
            ),
            (
                "Äpp jookseb kokku iga kord, kui tellimuste ajaloo avan. Installisin uuesti, ei "
                "aidanud."
            ),
            (
                "Kuller märkis paki üleantuks, aga mina pole midagi kätte saanud. Keegi ei tea, "
                "kus see on."
            ),
            "Teeninduspunktis oli töötaja väga ebaviisakas ja andis mõista, et see pole tema mure.",
            (
                "Tellisin sinise veekeetja, saabus valge. Nüüd pean teie vea pärast tagastamisega "
                "jändama."
            ),
            "Arvel on jälle vale KMKR number. Palun seda juba kolmandat korda parandada!",
            "tarneaeg oli 9-12, kuller tuli kell 18. võtsin asjata vaba päeva",
            "Lubasite 24 tunni jooksul tagasi helistada. Viis päeva möödas, vaikus.",
            "Toode oli selgelt kasutatud – ekraan kriimus ja sõrmejäljed igal pool.",
            "Mind suunati ühest osakonnast teise ja igaühele pidin kõike otsast peale seletama.",
            "Raha tagastamise asemel sain kinkekaardi, kuigi palusin selgelt raha kontole tagasi.",
            "Pakiautomaadi kood ei töötanud ja klienditeenindusse ei saanud kuidagi läbi.",
            "Tartu teeninduspunkt oli lahtiolekuajal kinni, uksel polnud isegi silti 😕",
        ],
        "neutral": [
            "Tarne tuli õigel ajal, ainult ühe väikese asja jaoks oli pakendit liiga palju.",
            "Lõpuks sai asi lahendatud, aga pidin kaks korda helistama.",
            "Äpp töötab, aga aadressi pean iga kord uuesti sisestama.",
            "Teeninduspunktis olid kõik viisakad, kuigi teisipäeva hommikul oli järjekord pikk.",
            "Raha tuli tagasi umbes 10 päevaga, nagu öeldi.",
            "Tellisin esmaspäeval, kätte sain neljapäeval. Ei vaimustust ega kaebusi.",
            "Klienditeenindaja vastas küsimusele, aga ühendust pidin ootama umbes 15 minutit.",
            "Üldiselt korras. Paki jälgimise info võiks tihedamini uueneda.",
        ],
        "positive": [
            "Väga kiire tarne – tellisin teisipäeva õhtul, kolmapäeva lõunaks oli pakk käes.",
            "Kadri klienditoest oli super, tagasimakse sai viie minutiga korda.",
            "Arvel oli viga, aga see parandati samal päeval. Aitäh!",
            "Kuller helistas ette, oli väga sõbralik ja tõi paki ise kolmandale korrusele.",
            "Ülemiste teeninduspunktis tehti remont ära, kuni ma ootasin.",
            "Ei osanud oodata, et katkise toote asemel saadetakse uus nii kiiresti. Tubli töö!",
            "Uus äpp on palju mugavam, tellimuse vormistan paari sekundiga.",
            "Väga kannatlik teenindaja aitas mu emal konto luua. Suur aitäh!",
            "Raha oli kontol kaks päeva pärast toote tagastamist. Täpselt nagu lubati.",
            "Kõik jõudis kohale hästi pakituna ja täpselt nagu kirjelduses. Tellin veel.",
            "Üks detail oli puudu – saatsite järgmisel päeval tasuta järele 👍",
            "Kiire, viisakas ja ilma asjatu bürokraatiata.",
            "Martin klienditeenindusest nägi tõesti vaeva ja leidis mu paki üles.",
            "Esimene tellimus ja kõik läks ladusalt, maksmisest kuni kättesaamiseni.",
            "Hindan, et andsite hilinemisest ausalt teada ja saatsite sooduskoodi.",
        ],
    },
    "hu": {
        "negative": [
            "A csomag négy napot késett, és a doboz sarka be volt nyomódva. Nem vagyok elégedett.",
            "40 percet vártam a vonalban, hogy aztán közöljék: írjak inkább e-mailt. Ez vicc.",
            "Ugyanazért a rendelésért kétszer terheltek meg, és a pénzt azóta sem kaptam vissza.",
            (
                "Az app minden alkalommal összeomlik, amikor megnyitom a korábbi rendeléseimet. "
                "Újratelepítettem, semmi."
            ),
            (
                "A futár kézbesítettnek jelölte a csomagot, de nekem nem hozott semmit. Senki nem "
                "tudja, hol van."
            ),
            (
                "Az ügyfélponton a hölgy nagyon udvariatlan volt, gyakorlatilag közölte, hogy ez "
                "nem az ő problémája."
            ),
            (
                "Kék vízforralót rendeltem, fehéret kaptam. Most nekem kell a visszaküldéssel "
                "szaladgálnom a ti hibátok miatt."
            ),
            "A számlán megint rossz az adószám. Már harmadszor kérem, hogy javítsák ki!",
            (
                "8 és 12 közötti idősávot kaptam, a futár este 6-kor jött. feleslegesen vettem ki "
                "szabadnapot"
            ),
            "Azt ígérték, 24 órán belül visszahívnak. Öt nap telt el, azóta is csend.",
            "A termék egyértelműen használt volt: karcos kijelző, ujjlenyomatok mindenhol.",
            (
                "Három különböző osztály között dobáltak, és mindenkinek elölről kellett "
                "elmondanom mindent."
            ),
            (
                "Pénz helyett vásárlási utalványt kaptam, pedig egyértelműen a kártyámra kértem "
                "vissza az összeget."
            ),
            "A csomagautomatánál nem működött a nyitókód, az ügyfélszolgálat pedig fel sem vette.",
            "Kifizettem, de a rendelés nem jelenik meg a fiókomban. E-mailre senki nem válaszol 😕",
        ],
        "neutral": [
            "Időben megjött, csak egy ilyen apróságra kicsit sok volt a csomagolás.",
            "Végül megoldódott, de kétszer kellett telefonálnom.",
            "Az app működik, de a szállítási címet minden alkalommal újra be kell írnom.",
            "Az ügyfélponton udvariasak voltak, kedd délelőtt viszont elég hosszú volt a sor.",
            "A visszatérítés nagyjából 10 nap alatt jött meg, ahogy mondták.",
            "Hétfőn rendeltem, csütörtökön jött. Semmi extra, de panaszom sincs.",
            "Az ügyintéző válaszolt a kérdésemre, csak kb. 15 percet vártam, mire kapcsoltak.",
            "Összességében rendben volt. A csomagkövetés frissülhetne gyakrabban.",
        ],
        "positive": [
            "Villámgyors szállítás: kedd este rendeltem, szerda délben már nálam volt.",
            (
                "Bence a telefonos ügyfélszolgálaton szuper volt, öt perc alatt elintézte a "
                "visszatérítést."
            ),
            "Hibás volt a számla, de még aznap kijavították. Köszönöm!",
            (
                "A futár előre telefonált, nagyon kedves volt, és felhozta a csomagot a harmadik "
                "emeletre."
            ),
            "A debreceni szervizpontban megjavították, amíg vártam. Szuper!",
            (
                "Nem gondoltam volna, hogy a sérült termék helyett ilyen gyorsan küldenek újat. Le "
                "a kalappal!"
            ),
            "Az új app sokkal kényelmesebb, pár másodperc alatt leadom a rendelést.",
            "Egy nagyon türelmes kolléga segített anyukámnak regisztrálni. Hálásan köszönjük!",
            "A pénz két nappal a visszaküldés után már a számlámon volt. Pont, ahogy ígérték.",
            "Minden szépen becsomagolva és pontosan a leírás szerint érkezett. Még rendelek.",
            "Hiányzott egy alkatrész, másnap ingyen utánaküldték 👍",
            "Gyors, udvarias, felesleges bürokrácia nélkül.",
            "Dóra az ügyfélszolgálatról tényleg mindent megtett, és megtalálta a csomagomat.",
            "Első rendelésem volt, és minden simán ment a fizetéstől a kiszállításig.",
            "Értékelem, hogy őszintén szóltak a késésről, és még kuponkódot is kaptam.",
        ],
    },
}

INTERACTION_NOTES: dict[str, list[str]] = {
    "en": [
        "Customer called about a late delivery; promised a callback by 12:00 tomorrow.",
        "Confirmed refund of £34.99 to card, should show in 3-5 working days.",
        (
            "Came into the Leeds service point with a faulty blender. Booked in for repair, gave "
            "ref number."
        ),
        "Very upset about a double charge. Passed to billing, apologised, offered a £10 voucher.",
        (
            "Asked if he can collect from the Manchester service point instead. Yes, from 10am "
            "tomorrow."
        ),
        "Wrong billing address on invoice. Corrected and re-sent the PDF by email.",
        "No answer, left a voicemail. Will try again after 3pm.",
        "Rebooked delivery for Saturday morning. Customer wants a text before the driver arrives.",
        (
            "Parcel stuck at the sorting hub. Raised a claim with the carrier, update promised by "
            "Friday."
        ),
        (
            "Complaint about a rude driver passed to the courier team lead. Customer wants a "
            "written reply."
        ),
    ],
    "lv": [
        "Klients zvanīja par kavētu piegādi, solīju atzvanīt rīt līdz 12:00.",
        "Apstiprināju atmaksu 34,99 EUR uz karti, kontā būs 3–5 darba dienu laikā.",
        (
            "Kliente atnesa uz servisa punktu bojātu blenderi. Noformēju remonta pieteikumu, "
            "iedevu numuru."
        ),
        (
            "Klients ļoti sašutis par dubultu maksājumu. Nodevu grāmatvedībai, atvainojos, "
            "piedāvāju 10 EUR atlaidi."
        ),
        (
            "Klients servisa punktā Teikā saņēma saremontēto kafijas automātu, pārbaudījām uz "
            "vietas – strādā."
        ),
        "Rēķinā bija nepareiza adrese – izlaboju un nosūtīju jaunu PDF uz e-pastu.",
        "Neatbild, atstāju balss ziņu. Mēģināšu vēlreiz pēc 15:00.",
        (
            "Vienojāmies par atkārtotu piegādi sestdienas rītā. Klients lūdz SMS pirms kurjera "
            "ierašanās."
        ),
        "Kliente jautāja par veļas mašīnas garantiju, nosūtīju garantijas noteikumus uz e-pastu.",
        (
            "Sūdzību par rupju kurjeru nodevu piegādes komandas vadītājam. Klients vēlas rakstisku "
            "atbildi."
        ),
    ],
    "pl": [
        "Klient dzwonił w sprawie opóźnionej dostawy, obiecałam oddzwonić jutro do 12:00.",
        "Potwierdziłam zwrot 149,99 zł na kartę, środki powinny być w ciągu 3–5 dni roboczych.",
        "Klient prosi o fakturę VAT na firmę do zamówienia 51907 – wystawiona i wysłana.",
        (
            "Klient bardzo zdenerwowany podwójnym obciążeniem. Przekazałam do rozliczeń, "
            "przeprosiłam, zaproponowałam rabat 40 zł."
        ),
        (
            "Wyjaśniłam, jak zresetować hasło w aplikacji – klientka zalogowała się jeszcze w "
            "trakcie rozmowy."
        ),
        "Błędne dane nabywcy na fakturze. Poprawiłam i wysłałam nowy PDF mailem.",
        "Nie odbiera, zostawiłam wiadomość na poczcie głosowej. Spróbuję ponownie po 15:00.",
        "Umówiona ponowna dostawa na sobotę rano, klient prosi o SMS przed przyjazdem kuriera.",
        (
            "Paczka utknęła w sortowni, zgłosiłam reklamację u przewoźnika. Klient dostanie info "
            "do piątku."
        ),
        (
            "Skargę na niemiłego kuriera przekazałam kierownikowi zespołu dostaw. Klient oczekuje "
            "odpowiedzi na piśmie."
        ),
    ],
    "sr": [
        "Клијент звао због касне доставе, обећао сам да ћу га позвати сутра до 12 часова.",
        (
            "Потврдио сам повраћај 3.990 дин. на картицу, новац би требало да легне за 3–5 радних "
            "дана."
        ),
        "Клијенткиња донела неисправан блендер у пословницу. Примљен на сервис, дат број пријаве.",
        (
            "Клијент веома незадовољан због двоструког задужења. Проследио сам рачуноводству, "
            "извинио се и понудио ваучер од 1.000 дин."
        ),
        "Клијент питао за гаранцију за веш-машину, послао сам му услове мејлом.",
        "На рачуну је била погрешна адреса – исправио сам и послао нови PDF мејлом.",
        "Не јавља се, оставио сам поруку на говорној пошти. Пробаћу поново после 15 ч.",
        "Договорена поновна достава у суботу ујутру, клијент моли СМС пре доласка курира.",
        (
            "Пакет се заглавио у сортирном центру, отворио сам рекламацију код курирске службе. "
            "Јављамо до петка."
        ),
        (
            "Жалбу на непристојног курира проследио сам шефу тима за доставу. Клијент тражи писани "
            "одговор."
        ),
    ],
    "sr-latn": [
        (
            "Klijentkinja zvala zbog reklamacije na usisivač, rekao sam da servis traje do 15 "
            "radnih dana."
        ),
        "Poslao sam novu fakturu sa ispravnim PIB-om, klijent potvrdio da je sad sve u redu.",
        (
            "Klijent nezadovoljan kašnjenjem, ponudio sam besplatnu dostavu za sledeću porudžbinu "
            "– prihvatio."
        ),
        "U poslovnici preuzeta roba za povraćaj, novac vraćen na karticu.",
        "Zvao sam dva puta, ne javlja se. Poslao sam SMS da nas kontaktira.",
        (
            "Porudžbina se ne prikazuje u aplikaciji – prijavljeno IT-ju, otvoren tiket, klijent "
            "obavešten."
        ),
        "Klijentkinja moli da kurir dođe posle 17 h, upisao sam napomenu u nalog za dostavu.",
        "Razgovor prilično napet, klijent preti lošom recenzijom. Eskalirano menadžeru.",
        "Objasnio sam uslove garancije, klijent donosi uređaj u sredu.",
        "Refundacija odobrena, klijentu poslat mejl sa potvrdom.",
    ],
    "et": [
        "Klient helistas hilinenud tarne pärast, lubasin homme kella 12-ks tagasi helistada.",
        "Kinnitasin tagasimakse 34,99 € kaardile, raha peaks laekuma 3–5 tööpäeva jooksul.",
        "Klient tõi teeninduspunkti katkise saumikseri. Võtsin remonti, andsin pöördumise numbri.",
        (
            "Klient väga pahane topeltmakse pärast. Edastasin raamatupidamisele, vabandasin, "
            "pakkusin 10 € sooduskoodi."
        ),
        "Selgitasin, kuidas äpis parooli lähtestada, klient sai kõne ajal sisse logida.",
        "Klient küsis garantiitingimuste kohta, saatsin need e-postiga.",
        "Ei vasta, jätsin kõneposti sõnumi. Proovin uuesti pärast kella 15.",
        "Leppisime kokku uue tarne laupäeva hommikuks, klient palub enne kulleri saabumist SMS-i.",
        (
            "Klient küsis, kas tellimuse saab kätte Ülemiste teeninduspunktist – jah, homme alates "
            "kella 10-st."
        ),
        (
            "Ebaviisaka kulleri kaebuse edastasin kullerite meeskonnajuhile. Klient soovib "
            "kirjalikku vastust."
        ),
    ],
    "hu": [
        "Az ügyfél a késő szállítás miatt hívott, megígértem, hogy holnap 12:00-ig visszahívom.",
        "Visszaigazoltam a 12 990 Ft visszatérítését a kártyára, 3–5 munkanapon belül jóváíródik.",
        (
            "Az ügyfél hibás turmixgépet hozott be az ügyfélpontra. Javításra felvettem, megadtam "
            "a hibajegy számát."
        ),
        (
            "Az ügyfél nagyon ideges a dupla terhelés miatt. Továbbítottam a pénzügynek, elnézést "
            "kértem, 3000 Ft-os kupont ajánlottam."
        ),
        (
            "Az ügyfél érdeklődött, hogy átveheti-e a rendelést a debreceni ügyfélponton – holnap "
            "10 órától igen."
        ),
        "Rossz cím szerepelt a számlán – javítottam, az új PDF-et e-mailben elküldtem.",
        "Nem vette fel, hangpostára üzentem. 15:00 után újra próbálom.",
        (
            "Szombat délelőttre egyeztettünk újrakézbesítést, az ügyfél SMS-t kér a futár érkezése "
            "előtt."
        ),
        (
            "A csomag elakadt a szortírozóban, panaszt tettem a futárszolgálatnál. Péntekig "
            "visszajelzünk."
        ),
        (
            "A goromba futárral kapcsolatos panaszt továbbítottam a szállítási csapat vezetőjének. "
            "Az ügyfél írásos választ kér."
        ),
    ],
}

SUBJECTS: dict[str, list[str]] = {
    "en": [
        "Order 48213 not delivered",
        "Charged twice for order #51907",
        "Still waiting for my refund",
        "Wrong item in my parcel",
        "App crashes when I open my orders",
        "Incorrect VAT number on invoice",
        "Complaint about your driver",
        "Damaged TV - what now?",
        "Can I change my delivery date?",
        "Thank you to Sophie in customer services",
    ],
    "lv": [
        "Pasūtījums Nr. 48213 nav piegādāts",
        "Par pasūtījumu 51907 nauda noņemta divreiz",
        "Joprojām nav saņemta atmaksa",
        "Sūtījumā nepareiza prece",
        "Lietotne neatveras pēc atjauninājuma",
        "Kļūda rēķinā (PVN numurs)",
        "Sūdzība par kurjeru",
        "Bojāts televizors – ko darīt?",
        "Lūdzu mainīt piegādes datumu",
        "Paldies Ilzei no klientu atbalsta",
    ],
    "pl": [
        "Zamówienie nr 48213 nie dotarło",
        "Podwójne obciążenie karty – zamówienie 51907",
        "Nadal brak zwrotu pieniędzy",
        "Otrzymałem nie ten produkt",
        "Aplikacja zawiesza się przy płatności",
        "Błędny NIP na fakturze",
        "Reklamacja – uszkodzony telewizor",
        "Skarga na kuriera",
        "Prośba o zmianę terminu dostawy",
        "Podziękowania dla pani Kasi z infolinii",
    ],
    "sr": [
        "Поруџбина 48213 није испоручена",
        "Двоструко задужење за поруџбину 51907",
        "Повраћај новца још није легао",
        "Стигао погрешан производ",
        "Апликација се руши при плаћању",
        "Погрешан ПИБ на рачуну",
        "Рекламација – оштећен телевизор",
        "Жалба на курира",
        "Молба за промену термина доставе",
        "Хвала Николи из корисничке подршке",
    ],
    "sr-latn": [
        "Porudžbina 50312 kasni nedelju dana",
        "Reklamacija na usisivač – broj 7781",
        "Pogrešna faktura",
        "Ne mogu da se ulogujem u aplikaciju",
        "Povraćaj novca za vraćenu robu",
        "Naplaćena dostava koja je trebalo da bude besplatna",
        "Nedostaje deo u paketu",
        "Žalba na ponašanje operatera",
        "Promena adrese za dostavu",
        "Pohvala za servis na Vračaru",
    ],
    "et": [
        "Tellimus 48213 on siiani kohale jõudmata",
        "Tellimuse 51907 eest võeti raha kaks korda",
        "Tagasimakset pole siiani laekunud",
        "Pakis oli vale toode",
        "Äpp jookseb maksmisel kokku",
        "Viga arvel (KMKR number)",
        "Kaebus kulleri kohta",
        "Katkine teler – mis edasi?",
        "Palun muuta tarnekuupäeva",
        "Suur aitäh Kadrile klienditoest",
    ],
    "hu": [
        "Nem érkezett meg a 48213-as rendelés",
        "Kétszer terhelték a kártyámat (51907-es rendelés)",
        "Még mindig nem kaptam vissza a pénzt",
        "Rossz terméket kaptam",
        "Fizetésnél összeomlik az app",
        "Hibás adószám a számlán",
        "Panasz a futárra",
        "Sérült tévé – mi a teendő?",
        "Szállítási időpont módosítása",
        "Köszönet Bencének az ügyfélszolgálatról",
    ],
}

# What agents promised unhappy customers, in the customer's language.
PROMISES: dict[str, list[str]] = {
    "en": ["Call back tomorrow before noon", "Refund the delivery fee",
           "Send a replacement by courier", "Confirm the new delivery date by e-mail"],
    "lv": ["Atzvanīt rīt līdz pusdienlaikam", "Atmaksāt piegādes maksu",
           "Nosūtīt jaunu preci ar kurjeru", "Apstiprināt jauno piegādes datumu e-pastā"],
    "pl": ["Oddzwonić jutro przed południem", "Zwrócić koszt dostawy",
           "Wysłać nowy egzemplarz kurierem", "Potwierdzić mailowo nowy termin dostawy"],
    "sr": ["Позвати сутра пре подне", "Вратити трошкове доставе",
           "Послати нови производ курирском службом", "Потврдити нови датум испоруке мејлом"],
    "sr-latn": ["Pozvati sutra pre podne", "Vratiti troškove dostave",
                "Poslati novi proizvod kurirskom službom",
                "Potvrditi novi datum isporuke mejlom"],
    "et": ["Helistada homme enne lõunat tagasi", "Hüvitada saatmiskulu",
           "Saata kulleriga uus toode", "Kinnitada uus tarnekuupäev e-kirjaga"],
    "hu": ["Holnap délig visszahívni", "Visszatéríteni a szállítási díjat",
           "Futárral új terméket küldeni", "E-mailben visszaigazolni az új szállítási napot"],
}

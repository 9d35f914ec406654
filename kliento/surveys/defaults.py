"""Default customer-facing texts of the one-click surveys.

Pure data: ``DEFAULT_TEXTS[kind][language][field]`` holds the texts shown in survey
invitation e-mails and on answer pages (the pages' own chrome is in the gettext
catalogues). The literal placeholder ``{company}`` is replaced by the workspace's name;
the sentences are built so that the name can stay undeclined. Customers are addressed formally
(Jūs, Państwo, Vi/Ви, Teie, Ön).
"""

from __future__ import annotations

KINDS = ("csat", "nps", "ces", "thumbs")
LANGUAGES = ("en", "lv", "pl", "sr", "sr-latn", "et", "hu")
FIELDS = (
    "question",
    "low_label",
    "high_label",
    "followup_negative",
    "followup_positive",
    "thank_you",
    "email_subject",
    "email_intro",
)

DEFAULT_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "csat": {
        "en": {
            "question": "How satisfied are you with the help you received?",
            "low_label": "Very dissatisfied",
            "high_label": "Very satisfied",
            "followup_negative": "We're sorry to hear that. What went wrong?",
            "followup_positive": "Glad to hear it! What did we do well?",
            "thank_you": "Thank you for your feedback. It helps us serve you better.",
            "email_subject": "How did we do?",
            "email_intro": (
                "Hello,\n\nYou recently contacted {company}. Just one click below tells us how we "
                "did."
            ),
        },
        "lv": {
            "question": "Cik apmierināti esat ar saņemto palīdzību?",
            "low_label": "Ļoti neapmierināti",
            "high_label": "Ļoti apmierināti",
            "followup_negative": "Mums ļoti žēl. Lūdzu, pastāstiet, kas nebija kārtībā.",
            "followup_positive": "Priecājamies to dzirdēt! Kas Jums patika visvairāk?",
            "thank_you": "Paldies par Jūsu atsauksmi! Tā palīdz mums strādāt vēl labāk.",
            "email_subject": "Kā mums veicās?",
            "email_intro": (
                "Labdien!\n\nNesen sazinājāties ar uzņēmumu {company}. Lūdzu, novērtējiet mūsu "
                "palīdzību – pietiek ar vienu klikšķi."
            ),
        },
        "pl": {
            "question": "Jak oceniają Państwo otrzymaną pomoc?",
            "low_label": "Bardzo źle",
            "high_label": "Bardzo dobrze",
            "followup_negative": "Przykro nam. Co poszło nie tak?",
            "followup_positive": "Bardzo nam miło! Co szczególnie się Państwu spodobało?",
            "thank_you": "Dziękujemy za opinię. Dzięki niej możemy jeszcze lepiej Państwu pomagać.",
            "email_subject": "Jak się spisaliśmy?",
            "email_intro": (
                "Dzień dobry,\n\nniedawno kontaktowali się Państwo z firmą {company}. Wystarczy "
                "jedno kliknięcie poniżej, aby ocenić naszą pomoc."
            ),
        },
        "sr": {
            "question": "Колико сте задовољни помоћи коју сте добили?",
            "low_label": "Веома незадовољни",
            "high_label": "Веома задовољни",
            "followup_negative": "Жао нам је. Шта није било како треба?",
            "followup_positive": "Драго нам је! Шта смо урадили добро?",
            "thank_you": "Хвала Вам на мишљењу. Помаже нам да Вам пружимо још бољу услугу.",
            "email_subject": "Како смо се показали?",
            "email_intro": (
                "Поштовани,\n\nнедавно сте се обратили компанији {company}. Једним кликом испод "
                "можете нам рећи како смо се показали."
            ),
        },
        "sr-latn": {
            "question": "Koliko ste zadovoljni pomoći koju ste dobili?",
            "low_label": "Veoma nezadovoljni",
            "high_label": "Veoma zadovoljni",
            "followup_negative": "Žao nam je. Šta nije bilo kako treba?",
            "followup_positive": "Drago nam je! Šta smo uradili dobro?",
            "thank_you": "Hvala Vam na mišljenju. Pomaže nam da Vam pružimo još bolju uslugu.",
            "email_subject": "Kako smo se pokazali?",
            "email_intro": (
                "Poštovani,\n\nnedavno ste se obratili kompaniji {company}. Jednim klikom ispod "
                "možete nam reći kako smo se pokazali."
            ),
        },
        "et": {
            "question": "Kui rahul olete saadud abiga?",
            "low_label": "Üldse ei ole rahul",
            "high_label": "Väga rahul",
            "followup_negative": "Meil on väga kahju. Mis läks valesti?",
            "followup_positive": "Rõõm kuulda! Mis Teile eriti meeldis?",
            "thank_you": "Täname tagasiside eest! See aitab meil Teid veelgi paremini teenindada.",
            "email_subject": "Kuidas meil läks?",
            "email_intro": (
                "Tere!\n\nPöördusite hiljuti ettevõtte {company} poole. Andke palun ühe klikiga "
                "teada, kuidas meil läks."
            ),
        },
        "hu": {
            "question": "Mennyire elégedett a kapott segítséggel?",
            "low_label": "Nagyon elégedetlen",
            "high_label": "Nagyon elégedett",
            "followup_negative": "Sajnáljuk, hogy így érezte. Mi volt a gond?",
            "followup_positive": "Örülünk, hogy elégedett! Mi tetszett Önnek a legjobban?",
            "thank_you": (
                "Köszönjük a visszajelzését! Segít abban, hogy még jobban kiszolgálhassuk Önt."
            ),
            "email_subject": "Hogyan teljesítettünk?",
            "email_intro": (
                "Kedves Ügyfelünk!\n\nNemrég felvette a kapcsolatot a(z) {company} céggel. "
                "Egyetlen kattintással jelezheti, hogyan teljesítettünk."
            ),
        },
    },
    "nps": {
        "en": {
            "question": "How likely are you to recommend {company} to a friend or colleague?",
            "low_label": "Not at all likely",
            "high_label": "Extremely likely",
            "followup_negative": "We're sorry to hear that. What could we do better?",
            "followup_positive": "Wonderful, thank you! What do you value most about us?",
            "thank_you": "Thank you for your feedback. It helps us serve you better.",
            "email_subject": "A quick question from {company}",
            "email_intro": (
                "Hello,\n\nWe'd love to know what you think of {company}. It only takes one click."
            ),
        },
        "lv": {
            "question": "Cik ticams, ka Jūs ieteiktu uzņēmumu {company} draugam vai kolēģim?",
            "low_label": "Noteikti neieteiktu",
            "high_label": "Noteikti ieteiktu",
            "followup_negative": "Paldies par atklātību. Ko mēs varētu darīt labāk?",
            "followup_positive": (
                "Paldies, tas ir patīkami dzirdēt! Ko Jūs pie mums novērtējat visvairāk?"
            ),
            "thank_you": "Paldies par Jūsu atsauksmi! Tā palīdz mums kļūt vēl labākiem.",
            "email_subject": "Īss jautājums no uzņēmuma {company}",
            "email_intro": (
                "Labdien!\n\nMums ir svarīgi uzzināt Jūsu viedokli par uzņēmumu {company}. "
                "Atbildei pietiek ar vienu klikšķi."
            ),
        },
        "pl": {
            "question": (
                "Jak bardzo prawdopodobne jest, że polecą Państwo firmę {company} znajomym lub "
                "współpracownikom?"
            ),
            "low_label": "Zupełnie nieprawdopodobne",
            "high_label": "Bardzo prawdopodobne",
            "followup_negative": "Dziękujemy za szczerość. Co moglibyśmy poprawić?",
            "followup_positive": "Bardzo nam miło! Co cenią Państwo w nas najbardziej?",
            "thank_you": "Dziękujemy za opinię. Dzięki niej możemy działać jeszcze lepiej.",
            "email_subject": "Krótkie pytanie od firmy {company}",
            "email_intro": (
                "Dzień dobry,\n\nchcielibyśmy poznać Państwa opinię o firmie {company}. Odpowiedź "
                "zajmie tylko jedno kliknięcie."
            ),
        },
        "sr": {
            "question": (
                "Колико је вероватно да бисте компанију {company} препоручили пријатељу или колеги?"
            ),
            "low_label": "Нимало вероватно",
            "high_label": "Изузетно вероватно",
            "followup_negative": "Хвала на искрености. Шта бисмо могли да урадимо боље?",
            "followup_positive": "Баш нам је драго! Шта код нас највише цените?",
            "thank_you": "Хвала Вам на мишљењу. Помаже нам да будемо још бољи.",
            "email_subject": "Кратко питање од компаније {company}",
            "email_intro": (
                "Поштовани,\n\nзанима нас шта мислите о компанији {company}. За одговор је довољан "
                "један клик."
            ),
        },
        "sr-latn": {
            "question": (
                "Koliko je verovatno da biste kompaniju {company} preporučili prijatelju ili "
                "kolegi?"
            ),
            "low_label": "Nimalo verovatno",
            "high_label": "Izuzetno verovatno",
            "followup_negative": "Hvala na iskrenosti. Šta bismo mogli da uradimo bolje?",
            "followup_positive": "Baš nam je drago! Šta kod nas najviše cenite?",
            "thank_you": "Hvala Vam na mišljenju. Pomaže nam da budemo još bolji.",
            "email_subject": "Kratko pitanje od kompanije {company}",
            "email_intro": (
                "Poštovani,\n\nzanima nas šta mislite o kompaniji {company}. Za odgovor je "
                "dovoljan jedan klik."
            ),
        },
        "et": {
            "question": "Kui tõenäoliselt soovitaksite ettevõtet {company} sõbrale või kolleegile?",
            "low_label": "Üldse mitte tõenäoliselt",
            "high_label": "Väga tõenäoliselt",
            "followup_negative": "Aitäh ausa vastuse eest. Mida võiksime paremini teha?",
            "followup_positive": "Suur aitäh! Mida Te meie juures kõige rohkem hindate?",
            "thank_you": "Täname tagasiside eest! See aitab meil veelgi paremaks saada.",
            "email_subject": "Üks kiire küsimus ettevõttelt {company}",
            "email_intro": (
                "Tere!\n\nSoovime teada, mida arvate ettevõttest {company}. Vastamiseks piisab "
                "ühest klikist."
            ),
        },
        "hu": {
            "question": (
                "Mennyire valószínű, hogy ajánlaná a(z) {company} céget barátainak vagy "
                "kollégáinak?"
            ),
            "low_label": "Egyáltalán nem valószínű",
            "high_label": "Nagyon valószínű",
            "followup_negative": "Köszönjük az őszinteségét. Min kellene javítanunk?",
            "followup_positive": "Ennek nagyon örülünk! Mit értékel nálunk a legjobban?",
            "thank_you": "Köszönjük a visszajelzését! Segít abban, hogy még jobbak legyünk.",
            "email_subject": "Egy rövid kérdés a(z) {company} csapatától",
            "email_intro": (
                "Kedves Ügyfelünk!\n\nSzeretnénk megtudni, mi a véleménye a(z) {company} cégről. A "
                "válaszhoz elég egyetlen kattintás."
            ),
        },
    },
    "ces": {
        "en": {
            "question": "How easy was it to get your issue resolved?",
            "low_label": "Very difficult",
            "high_label": "Very easy",
            "followup_negative": "We're sorry it wasn't easier. What got in the way?",
            "followup_positive": "Glad it went smoothly! What helped you the most?",
            "thank_you": (
                "Thank you for your feedback. It helps us make getting help easier for you."
            ),
            "email_subject": "Was it easy to get help?",
            "email_intro": (
                "Hello,\n\nYou recently contacted {company}. With one click below, let us know how "
                "easy it was to get help."
            ),
        },
        "lv": {
            "question": "Cik viegli bija atrisināt Jūsu jautājumu?",
            "low_label": "Ļoti grūti",
            "high_label": "Ļoti viegli",
            "followup_negative": "Mums žēl, ka tas nebija vieglāk. Kas sagādāja grūtības?",
            "followup_positive": (
                "Priecājamies, ka viss noritēja raiti! Kas Jums palīdzēja visvairāk?"
            ),
            "thank_you": (
                "Paldies par Jūsu atsauksmi! Tā palīdz mums padarīt mūsu atbalstu vēl ērtāku."
            ),
            "email_subject": "Vai bija viegli saņemt palīdzību?",
            "email_intro": (
                "Labdien!\n\nNesen sazinājāties ar uzņēmumu {company}. Lūdzu, ar vienu klikšķi "
                "pastāstiet, cik viegli bija saņemt palīdzību."
            ),
        },
        "pl": {
            "question": "Jak łatwo było załatwić Państwa sprawę?",
            "low_label": "Bardzo trudno",
            "high_label": "Bardzo łatwo",
            "followup_negative": "Przykro nam, że nie poszło łatwiej. Co sprawiło trudność?",
            "followup_positive": (
                "Cieszymy się, że wszystko poszło sprawnie! Co najbardziej pomogło?"
            ),
            "thank_you": (
                "Dziękujemy za opinię. Dzięki niej możemy jeszcze bardziej ułatwić Państwu kontakt "
                "z nami."
            ),
            "email_subject": "Czy łatwo było uzyskać pomoc?",
            "email_intro": (
                "Dzień dobry,\n\nniedawno kontaktowali się Państwo z firmą {company}. Jednym "
                "kliknięciem mogą Państwo ocenić, jak łatwo było uzyskać pomoc."
            ),
        },
        "sr": {
            "question": "Колико је било лако решити Ваш проблем?",
            "low_label": "Веома тешко",
            "high_label": "Веома лако",
            "followup_negative": "Жао нам је што није било лакше. Шта Вам је стварало потешкоће?",
            "followup_positive": "Драго нам је што је све ишло глатко! Шта Вам је највише помогло?",
            "thank_you": (
                "Хвала Вам на мишљењу. Помаже нам да Вам још више олакшамо контакт са нама."
            ),
            "email_subject": "Да ли сте лако добили помоћ?",
            "email_intro": (
                "Поштовани,\n\nнедавно сте се обратили компанији {company}. Једним кликом нам "
                "реците колико Вам је било лако да добијете помоћ."
            ),
        },
        "sr-latn": {
            "question": "Koliko je bilo lako rešiti Vaš problem?",
            "low_label": "Veoma teško",
            "high_label": "Veoma lako",
            "followup_negative": "Žao nam je što nije bilo lakše. Šta Vam je stvaralo poteškoće?",
            "followup_positive": "Drago nam je što je sve išlo glatko! Šta Vam je najviše pomoglo?",
            "thank_you": (
                "Hvala Vam na mišljenju. Pomaže nam da Vam još više olakšamo kontakt sa nama."
            ),
            "email_subject": "Da li ste lako dobili pomoć?",
            "email_intro": (
                "Poštovani,\n\nnedavno ste se obratili kompaniji {company}. Jednim klikom nam "
                "recite koliko Vam je bilo lako da dobijete pomoć."
            ),
        },
        "et": {
            "question": "Kui lihtne oli Teie mure lahendada?",
            "low_label": "Väga keeruline",
            "high_label": "Väga lihtne",
            "followup_negative": "Meil on kahju, et see nii keeruline oli. Mis valmistas raskusi?",
            "followup_positive": "Rõõm kuulda, et kõik sujus! Mis Teid kõige rohkem aitas?",
            "thank_you": (
                "Täname tagasiside eest! See aitab meil muuta abi saamise Teie jaoks veelgi "
                "lihtsamaks."
            ),
            "email_subject": "Kas abi saamine oli lihtne?",
            "email_intro": (
                "Tere!\n\nPöördusite hiljuti ettevõtte {company} poole. Andke palun ühe klikiga "
                "teada, kui lihtne oli abi saada."
            ),
        },
        "hu": {
            "question": "Mennyire volt egyszerű elintézni az ügyét?",
            "low_label": "Nagyon nehéz",
            "high_label": "Nagyon egyszerű",
            "followup_negative": "Sajnáljuk, hogy nem ment könnyebben. Mi okozott nehézséget?",
            "followup_positive": (
                "Örülünk, hogy minden gördülékenyen ment! Mi segített a legtöbbet?"
            ),
            "thank_you": (
                "Köszönjük a visszajelzését! Segít abban, hogy még egyszerűbbé tegyük az "
                "ügyintézést."
            ),
            "email_subject": "Könnyen kapott segítséget?",
            "email_intro": (
                "Kedves Ügyfelünk!\n\nNemrég felvette a kapcsolatot a(z) {company} céggel. "
                "Egyetlen kattintással jelezheti, mennyire volt egyszerű segítséget kapnia."
            ),
        },
    },
    "thumbs": {
        "en": {
            "question": "Did we solve your problem?",
            "low_label": "No",
            "high_label": "Yes",
            "followup_negative": "We're sorry we couldn't help. What is still unresolved?",
            "followup_positive": "Great to hear! What did we do well?",
            "thank_you": "Thank you for your answer. It helps us serve you better.",
            "email_subject": "Did we solve your problem?",
            "email_intro": (
                "Hello,\n\nYou recently contacted {company}. One click below tells us whether your "
                "problem was solved."
            ),
        },
        "lv": {
            "question": "Vai mums izdevās atrisināt Jūsu problēmu?",
            "low_label": "Nē",
            "high_label": "Jā",
            "followup_negative": "Mums ļoti žēl. Kas vēl palika neatrisināts?",
            "followup_positive": "Priecājamies to dzirdēt! Kas Jums visvairāk palīdzēja?",
            "thank_you": "Paldies par Jūsu atbildi! Tā palīdz mums kļūt vēl labākiem.",
            "email_subject": "Vai mums izdevās atrisināt Jūsu problēmu?",
            "email_intro": (
                "Labdien!\n\nNesen sazinājāties ar uzņēmumu {company}. Lūdzu, ar vienu klikšķi "
                "pastāstiet, vai Jūsu problēma ir atrisināta."
            ),
        },
        "pl": {
            "question": "Czy udało nam się rozwiązać Państwa problem?",
            "low_label": "Nie",
            "high_label": "Tak",
            "followup_negative": "Przykro nam. Co jeszcze możemy zrobić?",
            "followup_positive": "Świetnie! Co najbardziej Państwu pomogło?",
            "thank_you": (
                "Dziękujemy za odpowiedź. Dzięki niej możemy jeszcze lepiej Państwu pomagać."
            ),
            "email_subject": "Czy udało nam się rozwiązać Państwa problem?",
            "email_intro": (
                "Dzień dobry,\n\nniedawno kontaktowali się Państwo z firmą {company}. Prosimy "
                "jednym kliknięciem dać nam znać, czy problem został rozwiązany."
            ),
        },
        "sr": {
            "question": "Да ли смо успели да решимо Ваш проблем?",
            "low_label": "Не",
            "high_label": "Да",
            "followup_negative": "Жао нам је. Шта је још остало нерешено?",
            "followup_positive": "Одлично! Шта Вам је највише помогло?",
            "thank_you": "Хвала Вам на одговору. Помаже нам да Вам пружимо још бољу услугу.",
            "email_subject": "Да ли смо решили Ваш проблем?",
            "email_intro": (
                "Поштовани,\n\nнедавно сте се обратили компанији {company}. Једним кликом нам "
                "јавите да ли је Ваш проблем решен."
            ),
        },
        "sr-latn": {
            "question": "Da li smo uspeli da rešimo Vaš problem?",
            "low_label": "Ne",
            "high_label": "Da",
            "followup_negative": "Žao nam je. Šta je još ostalo nerešeno?",
            "followup_positive": "Odlično! Šta Vam je najviše pomoglo?",
            "thank_you": "Hvala Vam na odgovoru. Pomaže nam da Vam pružimo još bolju uslugu.",
            "email_subject": "Da li smo rešili Vaš problem?",
            "email_intro": (
                "Poštovani,\n\nnedavno ste se obratili kompaniji {company}. Jednim klikom nam "
                "javite da li je Vaš problem rešen."
            ),
        },
        "et": {
            "question": "Kas lahendasime Teie mure?",
            "low_label": "Ei",
            "high_label": "Jah",
            "followup_negative": "Meil on kahju. Mis jäi veel lahendamata?",
            "followup_positive": "Suurepärane! Mis Teid kõige rohkem aitas?",
            "thank_you": "Täname vastuse eest! See aitab meil Teid veelgi paremini teenindada.",
            "email_subject": "Kas lahendasime Teie mure?",
            "email_intro": (
                "Tere!\n\nPöördusite hiljuti ettevõtte {company} poole. Andke palun ühe klikiga "
                "teada, kas Teie mure sai lahendatud."
            ),
        },
        "hu": {
            "question": "Sikerült megoldanunk a problémáját?",
            "low_label": "Nem",
            "high_label": "Igen",
            "followup_negative": "Sajnáljuk. Mi maradt még megoldatlan?",
            "followup_positive": "Nagyszerű! Mi segített a legtöbbet?",
            "thank_you": "Köszönjük a válaszát! Segít abban, hogy még jobban kiszolgálhassuk Önt.",
            "email_subject": "Sikerült megoldanunk a problémáját?",
            "email_intro": (
                "Kedves Ügyfelünk!\n\nNemrég felvette a kapcsolatot a(z) {company} céggel. "
                "Egyetlen kattintással jelezheti, hogy sikerült-e megoldanunk a problémáját."
            ),
        },
    },
}

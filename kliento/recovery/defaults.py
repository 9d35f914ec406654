"""Default reply templates for each step of the service-recovery playbook.

One subject and body per step and language; the placeholders ({first_name},
{agent_name}, {case_number}, {promise_due}, {company} and, in follow_up only,
{rating_snippet}) are filled by plain substitution in kliento.recovery.replies.
"""

from __future__ import annotations

STEPS = ("contact", "find_out", "explain", "fix", "compensate", "prevent", "follow_up")
LANGUAGES = ("en", "lv", "pl", "sr", "sr-latn", "et", "hu")

TEMPLATES: dict[str, dict[str, dict[str, str]]] = {
    "contact": {
        "en": {
            "subject": "Your case #{case_number}: we are on it",
            "body": (
                "Hello {first_name},\n"
                "I am truly sorry for what happened, and thank you for telling us.\n"
                "I have read your message, and from now on I am personally handling your case "
                "#{case_number}.\n"
                "You will hear from me within one working day, even if I do not have the full "
                "answer yet.\n"
                "If you would rather talk it through, just reply and I will give you a call.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Jūsu pieteikums Nr. {case_number}: jau strādājam pie tā",
            "body": (
                "Labdien, {first_name}!\n"
                "Patiesi atvainojos par notikušo, un paldies, ka mums par to pastāstījāt.\n"
                "Izlasīju Jūsu ziņu, un no šī brīža Jūsu pieteikumu Nr. {case_number} kārtoju "
                "personīgi es.\n"
                "Nākamās darba dienas laikā sazināšos ar Jums vēlreiz, pat ja pilnīgas atbildes "
                "vēl nebūs.\n"
                "Ja vēlaties to pārrunāt pa tālruni, atbildiet uz šo vēstuli, un es Jums "
                "piezvanīšu.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: już się tym zajmujemy",
            "body": (
                "Dzień dobry, {first_name},\n"
                "bardzo przepraszam za to, co się stało, i dziękuję, że dali nam Państwo znać.\n"
                "Zapoznaliśmy się z Państwa wiadomością. Od teraz osobiście zajmuję się "
                "zgłoszeniem nr {case_number}.\n"
                "Odezwę się w ciągu jednego dnia roboczego, nawet jeśli nie będę jeszcze znać "
                "pełnej odpowiedzi.\n"
                "Jeśli wolą Państwo porozmawiać telefonicznie, proszę odpowiedzieć na tę "
                "wiadomość – zadzwonię.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Ваш захтев бр. {case_number}: већ радимо на томе",
            "body": (
                "Добар дан, {first_name},\n"
                "искрено се извињавам због онога што се догодило и хвала Вам што сте нам то "
                "рекли.\n"
                "Пажљиво смо прочитали Вашу поруку и од сада се лично бавим Вашим захтевом бр. "
                "{case_number}.\n"
                "Јавићу Вам се у току једног радног дана, чак и ако још немам коначан одговор.\n"
                "Ако више волите да разговарамо телефоном, само одговорите на ову поруку и "
                "позваћу Вас.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Vaš zahtev br. {case_number}: već radimo na tome",
            "body": (
                "Dobar dan, {first_name},\n"
                "iskreno se izvinjavam zbog onoga što se dogodilo i hvala Vam što ste nam to "
                "rekli.\n"
                "Pažljivo smo pročitali Vašu poruku i od sada se lično bavim Vašim zahtevom br. "
                "{case_number}.\n"
                "Javiću Vam se u toku jednog radnog dana, čak i ako još nemam konačan odgovor.\n"
                "Ako više volite da razgovaramo telefonom, samo odgovorite na ovu poruku i "
                "pozvaću Vas.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Teie pöördumine nr {case_number}: tegeleme sellega",
            "body": (
                "Tere, {first_name}!\n"
                "Vabandan siiralt juhtunu pärast ja aitäh, et sellest meile teada andsite.\n"
                "Lugesin Teie sõnumi läbi ning tegelen edaspidi Teie pöördumisega nr "
                "{case_number} isiklikult.\n"
                "Võtan Teiega uuesti ühendust hiljemalt järgmisel tööpäeval, isegi kui lõplikku "
                "vastust veel ei ole.\n"
                "Kui soovite asja telefoni teel arutada, vastake lihtsalt sellele kirjale ja ma "
                "helistan Teile.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – már foglalkozunk vele",
            "body": (
                "Kedves {first_name}!\n"
                "Őszintén sajnálom, ami történt, és köszönöm, hogy jelezte nekünk.\n"
                "Elolvastam az üzenetét, és mostantól személyesen én intézem az ügyét (ügyszám: "
                "{case_number}).\n"
                "Legkésőbb a következő munkanapon újra jelentkezem, akkor is, ha még nincs "
                "végleges válaszom.\n"
                "Ha szívesebben beszélné meg telefonon, csak válaszoljon erre a levélre, és "
                "felhívom.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "find_out": {
        "en": {
            "subject": "Case #{case_number}: a couple of questions",
            "body": (
                "Hello {first_name},\n"
                "Thank you for your feedback. I have it in front of me, so there is no need to "
                "repeat anything.\n"
                "To put this right, I would like to understand two things in your own words:\n"
                "what did you expect to happen, and at what point did it go wrong for you?\n"
                "A short reply is enough, or let me know a good time to call you.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: daži jautājumi",
            "body": (
                "Labdien, {first_name}!\n"
                "Paldies par Jūsu atsauksmi – tā ir man priekšā, tāpēc nekas nav jāstāsta no "
                "jauna.\n"
                "Lai problēmu atrisinātu pareizi, vēlos Jūsu vārdiem saprast divas lietas:\n"
                "ko Jūs gaidījāt, un kurā brīdī radās problēma?\n"
                "Pietiks ar īsu atbildi, vai arī norādiet, kad Jums būtu ērti runāt pa tālruni.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: kilka pytań",
            "body": (
                "Dzień dobry, {first_name},\n"
                "dziękuję za Państwa opinię. Mam ją przed sobą, więc nie trzeba niczego "
                "powtarzać.\n"
                "Aby dobrze to naprawić, chcę zrozumieć, jak to wyglądało z Państwa perspektywy:\n"
                "czego Państwo oczekiwali i w którym momencie coś poszło nie tak?\n"
                "Wystarczy krótka odpowiedź albo informacja, kiedy mogę do Państwa zadzwonić.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: неколико питања",
            "body": (
                "Добар дан, {first_name},\n"
                "хвала Вам на повратној информацији. Имам је пред собом, па не морате ништа да "
                "понављате.\n"
                "Да бисмо ово исправили како треба, желим да из Вашег угла разумем две ствари:\n"
                "шта сте очекивали и у ком тренутку је нешто пошло наопако?\n"
                "Довољан је кратак одговор, или ми напишите када могу да Вас позовем.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: nekoliko pitanja",
            "body": (
                "Dobar dan, {first_name},\n"
                "hvala Vam na povratnoj informaciji. Imam je pred sobom, pa ne morate ništa da "
                "ponavljate.\n"
                "Da bismo ovo ispravili kako treba, želim da iz Vašeg ugla razumem dve stvari:\n"
                "šta ste očekivali i u kom trenutku je nešto pošlo naopako?\n"
                "Dovoljan je kratak odgovor, ili mi napišite kada mogu da Vas pozovem.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: paar küsimust",
            "body": (
                "Tere, {first_name}!\n"
                "Aitäh tagasiside eest. See on mul ees, nii et Te ei pea midagi uuesti kordama.\n"
                "Et asi korralikult lahendada, tahaksin Teie enda sõnadega mõista kahte asja:\n"
                "mida Te ootasite ja millisel hetkel läks midagi valesti?\n"
                "Piisab lühikesest vastusest, või andke teada, millal sobiks Teile helistada.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – néhány kérdés",
            "body": (
                "Kedves {first_name}!\n"
                "Köszönöm a visszajelzését. Előttem van, így semmit sem kell újra elmondania.\n"
                "Hogy valóban rendbe tehessük, két kérdésre szeretném az Ön szavaival hallani a "
                "választ:\n"
                "mire számított, és melyik ponton romlott el valami?\n"
                "Elég egy rövid válasz, vagy írja meg, mikor hívhatom fel.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "explain": {
        "en": {
            "subject": "Case #{case_number}: what went wrong",
            "body": (
                "Hello {first_name},\n"
                "I have looked into what happened, and you deserve an honest answer.\n"
                "The fault was ours, not yours: a step in our process failed, and nobody caught "
                "it in time.\n"
                "There is no excuse for that. We should have noticed, and we should have told "
                "you ourselves.\n"
                "I take responsibility for putting it right, and I will keep you informed at "
                "every step.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: kas notika",
            "body": (
                "Labdien, {first_name}!\n"
                "Noskaidroju, kas notika, un esmu Jums parādā godīgu atbildi.\n"
                "Kļūda bija mūsu, nevis Jūsu: viens no mūsu procesa soļiem nenostrādāja, un "
                "neviens to laikus nepamanīja.\n"
                "Tam nav attaisnojuma. Mums tas bija jāpamana un pašiem Jums par to jāpaziņo.\n"
                "Es uzņemos atbildību par kļūdas labošanu un informēšu Jūs par katru soli.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: co się wydarzyło",
            "body": (
                "Dzień dobry, {first_name},\n"
                "sprawdziliśmy, co się stało, i należy się Państwu uczciwa odpowiedź.\n"
                "Błąd leżał po naszej stronie, nie po Państwa: jeden z etapów naszego procesu "
                "zawiódł i nikt tego w porę nie zauważył.\n"
                "Nie będziemy szukać wymówek. Powinniśmy byli to zauważyć i sami Państwa "
                "poinformować.\n"
                "Biorę odpowiedzialność za naprawienie tego błędu i będę informować Państwa o "
                "każdym kroku.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: шта се догодило",
            "body": (
                "Добар дан, {first_name},\n"
                "проверили смо шта се догодило и дугујемо Вам искрен одговор.\n"
                "Грешка је била на нашој страни, а не на Вашој: један корак у нашем процесу није "
                "функционисао и нико то није на време приметио.\n"
                "За то нема оправдања. Требало је да то приметимо и да Вас сами обавестимо.\n"
                "Преузимам одговорност да се ово исправи и обавештаваћу Вас о сваком кораку.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: šta se dogodilo",
            "body": (
                "Dobar dan, {first_name},\n"
                "proverili smo šta se dogodilo i dugujemo Vam iskren odgovor.\n"
                "Greška je bila na našoj strani, a ne na Vašoj: jedan korak u našem procesu nije "
                "funkcionisao i niko to nije na vreme primetio.\n"
                "Za to nema opravdanja. Trebalo je da to primetimo i da Vas sami obavestimo.\n"
                "Preuzimam odgovornost da se ovo ispravi i obaveštavaću Vas o svakom koraku.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: mis juhtus",
            "body": (
                "Tere, {first_name}!\n"
                "Uurisin, mis juhtus, ja Te väärite ausat vastust.\n"
                "Viga oli meie poolel, mitte Teie: üks samm meie tööprotsessis ei toiminud nii, "
                "nagu pidi, ja keegi ei märganud seda õigel ajal.\n"
                "Sellele ei ole vabandust. Oleksime pidanud seda märkama ja Teile ise teada "
                "andma.\n"
                "Võtan vastutuse vea parandamise eest ja hoian Teid igal sammul kursis.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – mi történt",
            "body": (
                "Kedves {first_name}!\n"
                "Utánanéztem, mi történt, és őszinte választ érdemel.\n"
                "A hiba nálunk volt, nem Önnél: a folyamatunk egyik lépése nem működött, és ezt "
                "senki sem vette észre időben.\n"
                "Erre nincs mentség. Észre kellett volna vennünk, és nekünk kellett volna "
                "szólnunk Önnek.\n"
                "Vállalom a felelősséget a hiba kijavításáért, és minden lépésről tájékoztatni "
                "fogom.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "fix": {
        "en": {
            "subject": "Case #{case_number}: how we are fixing it",
            "body": (
                "Hello {first_name},\n"
                "Here is where things stand with your case #{case_number}.\n"
                "We have started fixing the problem, and I am checking every step myself.\n"
                "Everything will be resolved by {promise_due}. If anything changes, you will "
                "hear it from me before then, not after.\n"
                "If at any point you would like to speak to a manager, just reply and I will "
                "arrange it.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: kā mēs to labojam",
            "body": (
                "Labdien, {first_name}!\n"
                "Lūk, kā virzās Jūsu pieteikums Nr. {case_number}.\n"
                "Problēmas novēršana jau ir sākta, un katru soli pārbaudu personīgi.\n"
                "Visu atrisināsim ne vēlāk kā līdz šim termiņam: {promise_due}. Ja kaut kas "
                "mainīsies, Jūs to uzzināsiet no manis iepriekš, nevis pēc tam.\n"
                "Ja jebkurā brīdī vēlaties runāt ar kādu no vadības, atbildiet uz šo vēstuli, un "
                "es to noorganizēšu.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: jak to naprawiamy",
            "body": (
                "Dzień dobry, {first_name},\n"
                "oto, jak wygląda sytuacja w sprawie zgłoszenia nr {case_number}.\n"
                "Rozpoczęliśmy usuwanie problemu, a każdy krok sprawdzam osobiście.\n"
                "Wszystko zostanie rozwiązane do {promise_due}. Jeśli coś się zmieni, dowiedzą "
                "się Państwo o tym ode mnie wcześniej, a nie po fakcie.\n"
                "Jeśli zechcą Państwo porozmawiać z kimś z kierownictwa, proszę o odpowiedź – "
                "zorganizuję to.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: како решавамо проблем",
            "body": (
                "Добар дан, {first_name},\n"
                "ево докле смо стигли са Вашим захтевом бр. {case_number}.\n"
                "Почели смо са отклањањем проблема, а сваки корак лично проверавам.\n"
                "Рок до ког ће све бити решено: {promise_due}. Ако се нешто промени, сазнаћете "
                "то од мене унапред, а не накнадно.\n"
                "Ако у било ком тренутку желите да разговарате са неким из руководства, само "
                "одговорите на ову поруку и организоваћу то.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: kako rešavamo problem",
            "body": (
                "Dobar dan, {first_name},\n"
                "evo dokle smo stigli sa Vašim zahtevom br. {case_number}.\n"
                "Počeli smo sa otklanjanjem problema, a svaki korak lično proveravam.\n"
                "Rok do kog će sve biti rešeno: {promise_due}. Ako se nešto promeni, saznaćete "
                "to od mene unapred, a ne naknadno.\n"
                "Ako u bilo kom trenutku želite da razgovarate sa nekim iz rukovodstva, samo "
                "odgovorite na ovu poruku i organizovaću to.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: kuidas me seda parandame",
            "body": (
                "Tere, {first_name}!\n"
                "Annan ülevaate, kus Teie pöördumine nr {case_number} praegu on.\n"
                "Oleme probleemi lahendamisega alustanud ja kontrollin iga sammu isiklikult.\n"
                "Kõik saab korda hiljemalt selleks ajaks: {promise_due}. Kui midagi muutub, "
                "kuulete seda minult enne, mitte pärast.\n"
                "Kui soovite mingil hetkel rääkida kellegagi juhtkonnast, vastake sellele "
                "kirjale ja korraldan selle.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – így hozzuk rendbe",
            "body": (
                "Kedves {first_name}!\n"
                "Szeretném tájékoztatni, hol tart az ügye.\n"
                "Megkezdtük a probléma elhárítását, és minden lépést személyesen ellenőrzök.\n"
                "Legkésőbb eddig mindent rendbe teszünk: {promise_due}. Ha bármi változik, előre "
                "szólok, nem utólag.\n"
                "Ha bármikor egyik vezetőnkkel szeretne beszélni, csak válaszoljon erre a "
                "levélre, és megszervezem.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "compensate": {
        "en": {
            "subject": "Case #{case_number}: our apology",
            "body": (
                "Hello {first_name},\n"
                "Once again, I am sorry for the trouble we have caused you.\n"
                "As an apology, we have added a credit to your account; it will be applied "
                "automatically.\n"
                "If there is anything else that would help put this right for you, please tell "
                "me.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: mūsu atvainošanās",
            "body": (
                "Labdien, {first_name}!\n"
                "Vēlreiz atvainojos par neērtībām, ko Jums sagādājām.\n"
                "Atvainojoties esam Jūsu kontā ieskaitījuši kredītu, kas tiks piemērots "
                "automātiski.\n"
                "Ja ir vēl kaut kas, kas palīdzētu situāciju labot, lūdzu, pasakiet man.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: nasze przeprosiny",
            "body": (
                "Dzień dobry, {first_name},\n"
                "jeszcze raz bardzo przepraszam za kłopot, jaki Państwu sprawiliśmy.\n"
                "W ramach przeprosin zasililiśmy Państwa konto kwotą, która zostanie "
                "automatycznie uwzględniona przy kolejnym rozliczeniu.\n"
                "Jeśli jest coś jeszcze, co pomogłoby naprawić tę sytuację, proszę dać mi znać.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: наше извињење",
            "body": (
                "Добар дан, {first_name},\n"
                "још једном се извињавам због непријатности коју смо Вам приредили.\n"
                "Као знак извињења, на Ваш налог смо уплатили износ који ће аутоматски бити "
                "урачунат при следећем обрачуну.\n"
                "Ако постоји још нешто што би помогло да се ово исправи, слободно ми реците.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: naše izvinjenje",
            "body": (
                "Dobar dan, {first_name},\n"
                "još jednom se izvinjavam zbog neprijatnosti koju smo Vam priredili.\n"
                "Kao znak izvinjenja, na Vaš nalog smo uplatili iznos koji će automatski biti "
                "uračunat pri sledećem obračunu.\n"
                "Ako postoji još nešto što bi pomoglo da se ovo ispravi, slobodno mi recite.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: meie vabandus",
            "body": (
                "Tere, {first_name}!\n"
                "Vabandan veel kord ebamugavuste pärast, mida Teile põhjustasime.\n"
                "Vabanduse märgiks lisasime Teie kontole summa, mis arvestatakse automaatselt "
                "maha järgmisest arvest.\n"
                "Kui on veel midagi, mis aitaks olukorda heastada, andke mulle palun teada.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – bocsánatkérésünk",
            "body": (
                "Kedves {first_name}!\n"
                "Még egyszer elnézést kérek a kellemetlenségért, amelyet okoztunk Önnek.\n"
                "Bocsánatkérésünk jeléül jóváírást adtunk a fiókjára, amely a következő "
                "számlájánál automatikusan érvényesül.\n"
                "Ha van még valami, ami segítene rendezni a helyzetet, kérem, jelezze nekem.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "prevent": {
        "en": {
            "subject": "Case #{case_number}: what we have changed",
            "body": (
                "Hello {first_name},\n"
                "Your feedback has led to a real change on our side.\n"
                "We have looked at how this happened and changed our process so that it does not "
                "happen again, to you or to anyone else.\n"
                "Thank you for taking the time to tell us. You have helped us improve.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: ko esam mainījuši",
            "body": (
                "Labdien, {first_name}!\n"
                "Jūsu atsauksme ir novedusi pie reālām pārmaiņām mūsu darbā.\n"
                "Esam izvērtējuši, kā tas varēja notikt, un mainījuši savu procesu, lai tas "
                "neatkārtotos – ne ar Jums, ne ar kādu citu.\n"
                "Paldies, ka veltījāt laiku, lai mums to pastāstītu. Tas mums palīdz kļūt "
                "labākiem.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: co zmieniliśmy",
            "body": (
                "Dzień dobry, {first_name},\n"
                "Państwa opinia doprowadziła do realnej zmiany po naszej stronie.\n"
                "Przeanalizowaliśmy, jak do tego doszło, i zmieniliśmy nasz proces, aby się to "
                "nie powtórzyło – ani Państwu, ani nikomu innemu.\n"
                "Dziękuję, że poświęcili Państwo czas, aby nam o tym powiedzieć. Dzięki temu "
                "możemy działać lepiej.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: шта смо променили",
            "body": (
                "Добар дан, {first_name},\n"
                "Ваша повратна информација довела је до стварне промене код нас.\n"
                "Анализирали смо како је до овога дошло и променили процес, како се то не би "
                "поновило – ни Вама, ни било коме другом.\n"
                "Хвала Вам што сте одвојили време да нам то кажете. Тиме сте нам помогли да "
                "будемо бољи.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: šta smo promenili",
            "body": (
                "Dobar dan, {first_name},\n"
                "Vaša povratna informacija dovela je do stvarne promene kod nas.\n"
                "Analizirali smo kako je do ovoga došlo i promenili proces, kako se to ne bi "
                "ponovilo – ni Vama, ni bilo kome drugom.\n"
                "Hvala Vam što ste odvojili vreme da nam to kažete. Time ste nam pomogli da "
                "budemo bolji.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: mida me muutsime",
            "body": (
                "Tere, {first_name}!\n"
                "Teie tagasiside tõi meie töös kaasa päris muutuse.\n"
                "Analüüsisime, kuidas see juhtuda sai, ja muutsime oma protsessi, et see ei "
                "korduks – ei Teie ega kellegi teisega.\n"
                "Aitäh, et võtsite aega meile sellest rääkida. See aitab meil paremaks saada.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – ezen változtattunk",
            "body": (
                "Kedves {first_name}!\n"
                "Az Ön visszajelzése valódi változást hozott nálunk.\n"
                "Megvizsgáltuk, hogyan történhetett meg, és úgy módosítottuk a folyamatunkat, "
                "hogy ez ne forduljon elő újra – se Önnel, se mással.\n"
                "Köszönöm, hogy időt szánt rá, és elmondta nekünk. Ezzel sokat segített abban, "
                "hogy jobbak legyünk.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
    "follow_up": {
        "en": {
            "subject": "Case #{case_number}: is everything all right now?",
            "body": (
                "Hello {first_name},\n"
                "Your case #{case_number} is now resolved, and I would like to make sure "
                "everything is fine on your side.\n"
                "Could you let me know with one click?\n"
                "{rating_snippet}\n"
                "If anything is still not right, just reply to this e-mail and I will pick it up "
                "straight away.\n"
                "Kind regards,\n"
                "{agent_name}, {company}"
            ),
        },
        "lv": {
            "subject": "Pieteikums Nr. {case_number}: vai tagad viss ir kārtībā?",
            "body": (
                "Labdien, {first_name}!\n"
                "Jūsu pieteikums Nr. {case_number} ir atrisināts, un vēlos pārliecināties, ka "
                "Jums viss ir kārtībā.\n"
                "Lūdzu, pasakiet to ar vienu klikšķi:\n"
                "{rating_snippet}\n"
                "Ja kaut kas joprojām nav kārtībā, vienkārši atbildiet uz šo e-pastu, un es "
                "uzreiz pie tā ķeršos.\n"
                "Ar cieņu\n"
                "{agent_name}, {company}"
            ),
        },
        "pl": {
            "subject": "Zgłoszenie nr {case_number}: czy wszystko jest już w porządku?",
            "body": (
                "Dzień dobry, {first_name},\n"
                "zgłoszenie nr {case_number} zostało rozwiązane i chcę się upewnić, że u Państwa "
                "wszystko jest w porządku.\n"
                "Proszę dać mi znać jednym kliknięciem:\n"
                "{rating_snippet}\n"
                "Jeśli coś nadal nie działa tak, jak powinno, wystarczy odpowiedzieć na tę "
                "wiadomość – od razu się tym zajmę.\n"
                "Z poważaniem\n"
                "{agent_name}, {company}"
            ),
        },
        "sr": {
            "subject": "Захтев бр. {case_number}: да ли је сада све у реду?",
            "body": (
                "Добар дан, {first_name},\n"
                "Ваш захтев бр. {case_number} је решен и желим да се уверим да је код Вас све у "
                "реду.\n"
                "Молим Вас, јавите ми једним кликом:\n"
                "{rating_snippet}\n"
                "Ако нешто и даље није како треба, само одговорите на ову поруку и одмах ћу се "
                "тиме позабавити.\n"
                "С поштовањем,\n"
                "{agent_name}, {company}"
            ),
        },
        "sr-latn": {
            "subject": "Zahtev br. {case_number}: da li je sada sve u redu?",
            "body": (
                "Dobar dan, {first_name},\n"
                "Vaš zahtev br. {case_number} je rešen i želim da se uverim da je kod Vas sve u "
                "redu.\n"
                "Molim Vas, javite mi jednim klikom:\n"
                "{rating_snippet}\n"
                "Ako nešto i dalje nije kako treba, samo odgovorite na ovu poruku i odmah ću se "
                "time pozabaviti.\n"
                "S poštovanjem,\n"
                "{agent_name}, {company}"
            ),
        },
        "et": {
            "subject": "Pöördumine nr {case_number}: kas nüüd on kõik korras?",
            "body": (
                "Tere, {first_name}!\n"
                "Teie pöördumine nr {case_number} on lahendatud ja tahan veenduda, et Teie jaoks "
                "on kõik korras.\n"
                "Palun andke sellest teada ühe klikiga:\n"
                "{rating_snippet}\n"
                "Kui miski pole ikka veel nii, nagu peab, vastake lihtsalt sellele kirjale ja "
                "tegelen sellega kohe.\n"
                "Lugupidamisega\n"
                "{agent_name}, {company}"
            ),
        },
        "hu": {
            "subject": "Ügyszám: {case_number} – most már minden rendben van?",
            "body": (
                "Kedves {first_name}!\n"
                "Ügyét ({case_number}) megoldottuk, és szeretnék megbizonyosodni róla, hogy "
                "Önnél is minden rendben van.\n"
                "Kérem, jelezze egyetlen kattintással:\n"
                "{rating_snippet}\n"
                "Ha valami még mindig nem az igazi, csak válaszoljon erre a levélre, és azonnal "
                "foglalkozom vele.\n"
                "Üdvözlettel:\n"
                "{agent_name}, {company}"
            ),
        },
    },
}

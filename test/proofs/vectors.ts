/**
 * Golden vectors for piece commitments, transcribed from /work/shared/notes/sealing-post-verifreg-commp.md §5.5–5.6,
 * which cites their origins: go-commp-utils zerocomm (zero table), go-fil-commp-hashhash testdata/zero.txt and
 * testdata/0xCC.txt (constant payloads, generated with Lotus ClientCalcCommP), web3-storage/data-segment
 * test/commp/vector.csv (deriveBuffer payloads), FRC-0069 / go-fil-commcid commcid_test.go (v2 CIDs),
 * lotus itests/worker_test.go and go-commp-utils commp_test.go / commd_test.go, lotus chain/proofs/proofs_test.go.
 */

/** [level, root hex, v1 piece CID or null] — go-commp-utils zerocomm PieceComms, recomputed. */
export const ZERO_COMMITMENTS: ReadonlyArray<readonly [number, string, string | null]> = [
  [0, '0000000000000000000000000000000000000000000000000000000000000000', null],
  [1, 'f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb0b', null],
  [2, '3731bb99ac689f66eef5973e4a94da188f4ddcae580724fc6f3fd60dfd488333', 'baga6ea4seaqdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy'],
  [3, '642a607ef886b004bf2c1978463ae1d4693ac0f410eb2d1b7a47fe205e5e750f', 'baga6ea4seaqgiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy'],
  [4, '57a2381a28652bf47f6bef7aca679be4aede5871ab5cf3eb2c08114488cb8526', 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq'],
  [5, '1f7ac9595510e09ea41c460b176430bb322cd6fb412ec57cb17d989a4310372f', 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly'],
  [6, 'fc7e928296e516faade986b28f92d44a4f24b935485223376a799027bc18f833', 'baga6ea4seaqpy7usqklokfx2vxuynmupslkeutzexe2uqurdg5vhtebhxqmpqmy'],
  [7, '08c47b38ee13bc43f41b915c0eed9911a26086b3ed62401bf9d58b8d19dff624', 'baga6ea4seaqarrd3hdxbhpcd6qnzcxao5wmrditaq2z62ysadp45lc4ndhp7mja'],
  [8, 'b2e47bfb11facd941f62af5c750f3ea5cc4df517d5c4f16db2b4d77baec1a32f', 'baga6ea4seaqlfzd37mi7vtmud5rk6xdvb47kltcn6ul5lrhrnwzljv33v3a2gly'],
  [9, 'f9226160c8f927bfdcc418cdf203493146008eaefb7d02194d5e548189005108', 'baga6ea4seaqpsitbmdepsj573tcbrtpsanetcrqar2xpw7icdfgv4vebreafcca'],
  [10, '2c1a964bb90b59ebfe0f6da29ad65ae3e417724a8f7c11745a40cac1e5e74011', 'baga6ea4seaqcyguwjo4qwwpl7yhw3iu22znohzaxojfi67arornebswb4xtuaei'],
  [11, 'fee378cef16404b199ede0b13e11b624ff9d784fbbed878d83297e795e024f02', 'baga6ea4seaqp5y3yz3ywibfrthw6bmj6cg3cj745pbh3x3mhrwbss7tzlybe6aq'],
  [12, '8e9e2403fa884cf6237f60df25f83ee40dca9ed879eb6f6352d15084f5ad0d3f', 'baga6ea4seaqi5hreap5iqthwen7wbxzf7a7oidokt3mht23pmnjncuee6wwq2py'],
  [13, '752d9693fa167524395476e317a98580f00947afb7a30540d625a9291cc12a07', 'baga6ea4seaqhklmwsp5bm5jehfkhnyyxvgcyb4aji6x3piyfidlclkjjdtasuby'],
  [14, '7022f60f7ef6adfa17117a52619e30cea82c68075adf1c667786ec506eef2d19', 'baga6ea4seaqhaixwb57pnlp2c4ixuutbtyym5kbmnadvvxy4mz3yn3cqn3xs2gi'],
  [15, 'd99887b973573a96e11393645236c17b1f4c7034d723c7a99f709bb4da61162b', 'baga6ea4seaqntgehxfzvoouw4ejzgzcsg3axwh2moa2noi6hvgpxbg5u3jqrmky'],
  [16, 'd0b530dbb0b4f25c5d2f2a28dfee808b53412a02931f18c499f5a254086b1326', 'baga6ea4seaqnbnjq3oylj4s4luxsukg752aiwu2bfibjghyyysm7lisubbvrgjq'],
  [17, '84c0421ba0685a01bf795a2344064fe424bd52a9d24377b394ff4c4b4568e811', 'baga6ea4seaqijqccdoqgqwqbx54vui2eazh6ijf5kku5eq3xwokp6tclivuoqei'],
  [18, '65f29e5d98d246c38b388cfc06db1f6b021303c5a289000bdce832a9c3ec421c', 'baga6ea4seaqgl4u6lwmnerwdrm4iz7ag3mpwwaqtapc2fciabpooqmvjypweeha'],
  [19, 'a2247508285850965b7e334b3127b0c042b1d046dc54402137627cd8799ce13a', 'baga6ea4seaqkejdvbaufquewln7dgszre6ymaqvr2bdnyvcaee3we7gypgoocoq'],
  [20, 'dafdab6da9364453c26d33726b9fefe343be8f81649ec009aad3faff50617508', 'baga6ea4seaqnv7nlnwutmrctyjwtg4tlt7x6gq56r6awjhwabgvnh6x7kbqxkca'],
  [21, 'd941d5e0d6314a995c33ffbd4fbe69118d73d4e5fd2cd31f0f7c86ebdd14e706', 'baga6ea4seaqnsqov4dldcsuzlqz77pkpxzurddlt2ts72lgtd4hxzbxl3ukoobq'],
  [22, '514c435c3d04d349a5365fbd59ffc713629111785991c1a3c53af22079741a2f', 'baga6ea4seaqfctcdlq6qju2juu3f7pkz77drgyurcf4fteobupctv4rapf2buly'],
  [23, 'ad06853969d37d34ff08e09f56930a4ad19a89def60cbfee7e1d3381c1e71c37', 'baga6ea4seaqk2bufhfu5g7ju74eobh2wsmfevum2rhppmdf75z7b2m4byhtryny'],
  [24, '39560e7b13a93b07a243fd2720ffa7cb3e1d2e505ab3629e79f46313512cda06', 'baga6ea4seaqdsvqopmj2soyhujb72jza76t4wpq5fzifvm3ctz47iyytkewnubq'],
  [25, 'ccc3c012f5b05e811a2bbfdd0f6833b84275b47bf229c0052a82484f3c1a5b3d', 'baga6ea4seaqmzq6acl23axubdiv37xipnaz3qqtvwr57ekoaauviescphqnfwpi'],
  [26, '7df29b69773199e8f2b40b77919d048509eed768e2c7297b1f1437034fc3c62c', 'baga6ea4seaqh34u3nf3tdgpi6k2aw54rtucikcpo25uofrzjpmprinydj7b4mla'],
  [27, '66ce05a3667552cf45c02bcc4e8392919bdeac35de2ff56271848e9f7b675107', 'baga6ea4seaqgntqfunthkuwpixacxtcoqojjdg66vq254l7vmjyyjdu7pntvcby'],
  [28, 'd8610218425ab5e95b1ca6239d29a2e420d706a96f373e2f9c9a91d759d19b01', 'baga6ea4seaqnqyicdbbfvnpjlmokmi45fgroiigxa2uw6nz6f6ojveoxlhizwai'],
  [29, '6d364b1ef846441a5a4a68862314acc0a46f016717e53443e839eedf83c2853c', 'baga6ea4seaqg2nsld34emra2ljfgrbrdcswmbjdpaftrpzjuipudt3w7qpbikpa'],
  [30, '077e5fde35c50a9303a55009e3498a4ebedff39c42b710b730d8ec7ac7afa63e', 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq'],
  [31, 'e64005a6bfe3777953b8ad6ef93f0fca1049b2041654f2a411f7702799cece02', 'baga6ea4seaqomqafu276g53zko4k23xzh4h4uecjwicbmvhsuqi7o4bhthhm4aq'],
  [32, '259d3d6b1f4d876d1185e1123af6f5501af0f67cf15b5216255b7b178d12051d', 'baga6ea4seaqclhj5nmpu3b3ncgc6cer2632vagxq6z6pcw2scysvw6yxrujakhi'],
  [33, '3f9a4d411da4ef1b36f35ff0a195ae392ab23fee7967b7c41b03d1613fc29239', 'baga6ea4seaqd7gsnieo2j3y3g3zv74fbswxdskvsh7xhsz5xyqnqhulbh7bjeoi'],
  [34, 'fe4ef328c61aa39cfdb2484eaa32a151b1fe3dfd1f96dd8c9711fd86d6c58113', 'baga6ea4seaqp4txtfddbvi447wzeqtvkgkqvdmp6hx6r7fw5rslrd7mg23cycey'],
  [35, 'f55d68900e2d8381eccb8164cb9976f24b2de0dd61a31b97ce6eb23850d5e819', 'baga6ea4seaqpkxlisahc3a4b5tfyczgltf3peszn4dowdiy3s7hg5mrykdk6qgi'],
  [36, 'aaaa8c4cb40aacee1e02dc65424b2a6c8e99f803b72f7929c4101d7fae6bff32', 'baga6ea4seaqkvkumjs2avlhodybnyzkcjmvgzduz7ab3ol3zfhcbahl7vzv76mq'],
]

/** [payload size, padded size, v1 CID of n × 0x00, v1 CID of n × 0xCC] — go-fil-commp-hashhash testdata. */
export const CONSTANT_PAYLOADS: ReadonlyArray<readonly [number, number, string, string]> = [
  [96, 128, 'baga6ea4seaqdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', 'baga6ea4seaqhwcjhi4krhl3ht6dewnwevkpxbepxy7p7onwgz65t52typbsysby'],
  [126, 128, 'baga6ea4seaqdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', 'baga6ea4seaqapbh46gdnszvb7fcinevsy5bzg3b4higkh7groptswf6zas6jamy'],
  [127, 128, 'baga6ea4seaqdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', 'baga6ea4seaqmfldjtozgne6adk7eve2vdxte7vzlivae7nzsbrawobo546zkijq'],
  [192, 256, 'baga6ea4seaqgiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy', 'baga6ea4seaqkx7m2s6r4zahtlbwrs5ryvemkclwfp7nijopdd5swpdnxzjf7wkq'],
  [253, 256, 'baga6ea4seaqgiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy', 'baga6ea4seaql6ldbyafhiecr36xba5tufreyo4km2ts3lfknhl2zogp3aztxijy'],
  [254, 256, 'baga6ea4seaqgiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy', 'baga6ea4seaqkixbzz75uys2pcjbrbdilgjhmum72qm4xphrwav2iyel5oat4aka'],
  [255, 512, 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq', 'baga6ea4seaqg7celu5y2iwbi2ra5koygvotxtzr5lj6vzvxi6gfub6mpa6niwpi'],
  [256, 512, 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq', 'baga6ea4seaqi7c3dnwkqysqh4lpkz5jaxz2d2f5bvo3ttu2hnfmdewhcoji56na'],
  [384, 512, 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq', 'baga6ea4seaqhexlmnzbarsbdbdahs7e36dkq5vkdwsrttehoakrif5wiqme36lq'],
  [507, 512, 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq', 'baga6ea4seaqenvh5mcy5cjqwsbubbpczprkk2onwvfjd2743zkqh6ofuzkatwey'],
  [508, 512, 'baga6ea4seaqfpirydiugkk7up5v666wkm6n6jlw6lby2wxht5mwaqekerdfykjq', 'baga6ea4seaqb6ckbupixkhwp7thgb52f4en222boppajkqk7gaomkpof3lh4cei'],
  [509, 1024, 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly', 'baga6ea4seaqdzbeaexq6gpbqh2tlnbz5mm5neap2kejsketkogzd6x2dx7dzkii'],
  [512, 1024, 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly', 'baga6ea4seaqojaa522sjqms2wipasjbxnjgytunsgp52tgrfcofj73f7q7ou6hy'],
  [768, 1024, 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly', 'baga6ea4seaqb6xvxaybzp6vslujjiwvgt23ckrwt7y53eddy5qmc6csnc37lwpi'],
  [1015, 1024, 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly', 'baga6ea4seaqmgiyjcutwgo6glks2mogixs6mb4sbehto6uzienucfx23wbtkica'],
  [1016, 1024, 'baga6ea4seaqb66wjlfkrbye6uqoemcyxmqylwmrm235uclwfpsyx3ge2imidoly', 'baga6ea4seaqjxgfdkdu37aryhg7bqqiwizj5f6ugasftgeocabwnj4cxkgisaoq'],
  [1017, 2048, 'baga6ea4seaqpy7usqklokfx2vxuynmupslkeutzexe2uqurdg5vhtebhxqmpqmy', 'baga6ea4seaqf3n5ob5qonkwnxfcbjzftsagbnrjfzualqvzhcylz46b7sgz6wmi'],
  [1024, 2048, 'baga6ea4seaqpy7usqklokfx2vxuynmupslkeutzexe2uqurdg5vhtebhxqmpqmy', 'baga6ea4seaqdlpnhgsndrgjeu4p46hahlsr4lybg6du4d56ooppdpxhcofxeuoi'],
]

/** [content size, raw sha2-256 CID of the payload, padded size, v1 CID] — data-segment test/commp/vector.csv. */
export const DERIVED_PAYLOADS: ReadonlyArray<readonly [number, string, number, string]> = [
  [65, 'bafkreie3ntx3nzvhuv63btdsgaeste6gurdigzw2soryitq6m3f3p24nba', 128, 'baga6ea4seaqcq4xx7rqx2lsrm6iky7qqk5jh7pbaj5bgdu22afhp4fodvccb6bq'],
  [96, 'bafkreiapblro3tpnudzgr6je54vzs2xa4oeorgxu2i6wjzllatspkhgzwe', 128, 'baga6ea4seaqhisghxrl4yntcsxtoc6rany2fjtbxgcnhhztkh5myy2mbs4nk2ki'],
  [97, 'bafkreiezw5yohbd7e2tahreq4vopebqgcy2dgpz3guv3jnmc65cmz24lsa', 128, 'baga6ea4seaqjeaetn3qrpxpnjaiz4iownifrz5grodxh2nzns4udumql7yikqba'],
  [126, 'bafkreihjbfaghtujyxgba2362prupfaoz7e24vn5kzwgiurltjdwuwlnta', 128, 'baga6ea4seaqo3fv7v6azpzeufymjgpkku4zy2y6ymwc2nesfqgb23cnk4kdtgcq'],
  [127, 'bafkreigrhtbcbnomuh2z6qj3yy7m7o4j2rk5p4uqiejwhux63uiuhqo5xe', 128, 'baga6ea4seaqhufymnk6yhtxu4b7hu6zzlu6k3mi256zmetxdnubt42vcetoywja'],
  [128, 'bafkreigm5zbyyxcmbouprdqhfsuxpjcnyz5rxny4d2efdcy6crgp2lv4v4', 256, 'baga6ea4seaqbk3wfm645ua42tjrtjbk6zguldd5gbqeirbwp4sgipgxr3gypgmi'],
  [192, 'bafkreidpl77gxx2jrtvrigk52nrjag4k7bkxmmm5ezrze552kzl6umzdue', 256, 'baga6ea4seaqeyibfspj2ablhcypfilpg2lnnen7uvuqukfyfpkj6yjnmz45o4ay'],
  [253, 'bafkreiezfdk6jr3sttzifebwctft56og5stblg5ttwfe63xvfbamdenxgy', 256, 'baga6ea4seaqoibpmnayfhb76nutn3fjtyhkorkgmvygwt22pizh73htj7vxc6fi'],
  [254, 'bafkreihybwjx54x5yquvigt4w7u2skrp53wml77y3u76gfxncpwnilujwu', 256, 'baga6ea4seaqprwoerce5du7cw4tepo4sckokbqzdw62cyxbi2c72llslboxk4oa'],
  [255, 'bafkreigllz4odn3iovvenjxrp4ptctfubuqsa4mt3qpbeyht3wppssa5kq', 512, 'baga6ea4seaqoybbca5i75uc4a5o6dic7cn5l6c7f2ymotjj7wfuczs7lrv6xila'],
  [256, 'bafkreiftnl3zxfwodpd4ra7eyi24gt7w6twdgl56wep74giojgd5jedem4', 512, 'baga6ea4seaqj3y2dtrdy46wbuvamudsgd3ar2gfla3zdnnkkdeuudilnalqoghy'],
  [384, 'bafkreicvh2uuzcegbjmf6getiuatiupddmgapxshopy56kywfgqc5k3izu', 512, 'baga6ea4seaqhkqiepjeda5kockn5aoaubmul7xgigotqu4pcnvhdqts2qydemdy'],
  [489, 'bafkreicmzd4eyh52zbr233dsfw6d44vmniefbetgy7zgliwqivtzny45gi', 512, 'baga6ea4seaqd7ihkhh4intpxgll73gdwodui5mv3posf7kyxa6xsrodqrzxzoca'],
  [507, 'bafkreihoxcusrvyxhj4oy57ipi7oz222xhjhugbcthdy52hzpx4cvf7wgq', 512, 'baga6ea4seaqajatehpk44kknxulfnfk7cleog6kavugbd2cazi2q52wth7syepi'],
  [508, 'bafkreics2jtlajmn366gcqyyct7abjk2nsbls4i2yj7oo3feqfou5bqddq', 512, 'baga6ea4seaqlgvybd6o6px5a4cm3tledvzh2pogceeukex5jbcybmonpn5hosba'],
  [509, 'bafkreigsyrubyikhbuy7p3hcb3t5zc3hbix4f47jgwe55wfcid2g5lf7ra', 1024, 'baga6ea4seaqihwpoufhmd3qtyqmqwcmx23qyjzl5453hwzuflqcmm5kyv2jmmdy'],
  [512, 'bafkreiad2qigwanz6wqkawi65n7f2g6jqgwapyqexhgdacgsysq2ajpmvm', 1024, 'baga6ea4seaqnsp35wltylqjhv6gwajjy2tfqklmkjq26i3vkbu46pjzorvlgclq'],
  [768, 'bafkreibmnzyoeje2wg4dwwzsc2wneivj7kzpq4yg6izelkudm5beri6k34', 1024, 'baga6ea4seaqaylnvdqizwhsc7ce6gxcdqdst2vo6uuliphc2e56mszgfqtfacpa'],
  [1015, 'bafkreid2z2uccrzhwijtq7nhvsnlexele7k7x7p44xmuia2be3xpk2qhdy', 1024, 'baga6ea4seaqivgoicxkhp3zpkzqxdqun553xlzfeyjtni2ju2aa3r2fz54v6qhq'],
  [1016, 'bafkreifdinscbajokrscqxwq26ufrxkbcbnvpwgesqmwozm6prktgk4vkm', 1024, 'baga6ea4seaqlnbkthsnevomkjfb35keqpg6x7mxetmrrind2b5yjgbfb3xo6eki'],
  [1017, 'bafkreiaoftcm3kq6rdcbrtzytf2vvyd53gvfkucrbwlcctm3wyufolbd7e', 2048, 'baga6ea4seaqceuj5hwimksbh7srkxhio6vhekoav4pygwfkmzuq2hmqyuqr52iy'],
  [1024, 'bafkreifmpyc57zrt2kczanq6tlrkrj4maalwgffoz65jcl4ymnlmyxiecu', 2048, 'baga6ea4seaqh6hzuv6tgxq4xjaicmfaw6h5pfff2h5hpfyzo4swsgicnarcukbq'],
  [1536, 'bafkreif3y4ec3yoxl6mfkzyiysjzvskuk7kb5mwchqh3yuufui3ecb534y', 2048, 'baga6ea4seaqnhcb3wxbekbgzhhdxxfk52yq6obf5bulrs344zyzvmh2k6qsnuda'],
  [1880, 'bafkreibnyqqgcm2bhwm3vj7zknnzgdbyt52xol2vbbwy3mtznsjcmylmgu', 2048, 'baga6ea4seaqozzejkf2ondr3g3dvfcog4c35dtbjbftby3yz6oragh6w4db6yki'],
  [1890, 'bafkreibr6ekl2uodck6axbxb4w4fuqq3rhx3fcowdoltwd336poolboi6y', 2048, 'baga6ea4seaqmh3wbzpaoaawux2jteuc7aridtfinvkqxkoqlyqsfl2pl7rm3qhy'],
  [2031, 'bafkreia64yklp5ywiqnzonl74iaveh4odvfba4dg44qieep6mq5arrlrdy', 2048, 'baga6ea4seaqncuxjipucjz47cwrz777dqx7f23x4twu6yff6okx4j5qegfazshq'],
  [2032, 'bafkreic3qfavohzmnf4meyhf643jyuoc2yfcx5dwelit3tlgr26lcsq2hy', 2048, 'baga6ea4seaqjmsi6jhjhx5mkimk2hf76mzwsqqm7y27ywujz46f3asq4te7y4gy'],
  [2033, 'bafkreif2gzvcwlcfjdqkhuwfc5qptmwpbgowl6qsjf2lnmepgrogpdxmhy', 4096, 'baga6ea4seaqers4ewqjhq2pkcgcoy26lrldk6m7ffhznlk3yh5eeiqc3smapofa'],
  [3072, 'bafkreibxvore77ad46hi4u2ra6djn4uvo5k76lqprq2sixx2hnl7tvl3mq', 4096, 'baga6ea4seaqlqi2fslriuyxgzkbheaagfhyybarszuazrsi6unw2o64l53bfqeq'],
  [4063, 'bafkreiavk2eyifsxuh75pxsg7o54xl5dpaj2lloczze5j3vx26mh5cpp4y', 4096, 'baga6ea4seaqkenrouck6mzd6kxqhegkcbmiyyiwhgdgecjxfs7hbsqzfw2aiiiq'],
  [4064, 'bafkreiet7zmmw3ui3iafkzgvako6uoyr52ruzba4ezwxxrhqhnjni567du', 4096, 'baga6ea4seaqjgu5uequ6fmgrf447mgt6dtqvusl3opjpk5igq4q7j4pyc2nfqfy'],
  [4065, 'bafkreigtukpdcp7wqwqra4jxsq4jpozng6cvrgf2krdzjpt6vui2nxb464', 8192, 'baga6ea4seaqlcwdhhmr5eclngqnh5ed2ons7rq3z5eeyoxsdoxfotfdzzbycwpy'],
  [4096, 'bafkreienpcwqq4bfdjaq7oc6rptedgizghjmkrz2pqtr2hlx6ekntbquc4', 8192, 'baga6ea4seaqidthc6vofh2jqtu4lcg5ptuuqcsgzzlcq4ilafyjfixdfbhpnoda'],
  [6144, 'bafkreiaemg7ykbllzfregbvrjtfr6cq46r7r5tx2ocjmkyajfmfkt3kaki', 8192, 'baga6ea4seaqhw6myggtrxtbfrxtmpoptpwch6prjppdy3emqgwmhjnunuafrika'],
  [8128, 'bafkreie5piz53qgty5sl7rudhbxeqeqm7g3fwcrd4prxgdwhqjwrewdc3i', 8192, 'baga6ea4seaqnsae4thg5osyks75ftqbx73ytjlq33ohm6gvsoshn4fetfjg34kq'],
  [48890, 'bafkreidaxtavkq3kcupiea7c56w6hjspz7rwompnfj2slmebkpvnf452be', 65536, 'baga6ea4seaqju5lbdcu5lzrycoltfdbgxpxinbili4plcdeeldcmrohpwpuuapi'],
  [196608, 'bafkreidkvmilxtfzojwpilpsyeppwjupnohe3ppdm5mfc7y4jx5tmlat4q', 262144, 'baga6ea4seaqh2gabbcgm4ompmln6soxolb2fwao2ekawx3rlelruhxwq7ns6yia'],
  [8129, 'bafkreidomp6dgze4zestjs6zypxbi7t7ph4gmb73ro3wqzlmk27vwhhe74', 16384, 'baga6ea4seaqgygeg6tryo4atfymv4qhgolg6u6b7mwbyiz4zhph4bux57v762kq'],
  [8192, 'bafkreicqxfetnz6vkq7jd2ixzuptevulmpaobw2kkmuosady6uobken7bm', 16384, 'baga6ea4seaqoup7idhmeo6z4q2igq3h5rx33h6wlmgtaqmrg4szn4bh3klvfafa'],
  [12288, 'bafkreibhro3wfjthzgybgampviihpcmdmkdtlnksuocm3smxd7fv6bkbma', 16384, 'baga6ea4seaqeuoabl7h7cmmpa46xoszesxrpcvxc6mu5xzghph7tev7jedw7mpy'],
  [16255, 'bafkreiajohlfcrtpdregdtwnwfsw7rmc3uimdwopl4vltyw6quflpksmnm', 16384, 'baga6ea4seaqeg4npsbkqmrdrknji3idp73cecvipcnchvxsw5uj75ppucbyz4fq'],
  [16256, 'bafkreibl2ee5ajssqnqh5j3zzxaiqashojzfux6avxekdvget45uwqxg5i', 16384, 'baga6ea4seaqpw2tinbbozhh45kuwqfjlbcwezc2svv5wg2xobk673i4oih3okea'],
  [16257, 'bafkreihddbhkmshculvtupeeynvfopkszrf5e6zadpqjd34ortikjr7xbq', 32768, 'baga6ea4seaqjbg4v53umcgizc47n7usexuvtix4un4z5d5vju3iqfi6qom55ynq'],
  [16384, 'bafkreibhnfkcuctryk3oucm6wojid47mizdhg32wwwna7gdkloifmvnewe', 32768, 'baga6ea4seaqbcoyqhvnha5vhpcrykaqv6pshvcsqid4lvcqzwy54fg6zihl4ucq'],
  [24576, 'bafkreidqp7x3ufzhbylz6aivrrlb7hcyu3coe44levtfqwkjk6cb7pautu', 32768, 'baga6ea4seaqfu3ubbrw5to4vt2j6drm7mnbqotbzdfydmlvlt6f5yv65yrm3gjy'],
  [32511, 'bafkreiffyaoj5mpos2zxrq2pn5wcfahy6l6dxm6uymnd2n5x4y5ylrwq6a', 32768, 'baga6ea4seaqdtwvsj7bk5ulqqaakieesxioerw7akzl2wsqhsi7euns34g6huka'],
  [32512, 'bafkreicxiz4qpc7hyycuvpzac2nkzzumatcnciareov4ru4bb7suczo2xy', 32768, 'baga6ea4seaqgcnlzfmhgqf2ts76t6mjw6luw5cb2j3sr4yr7bmhmxphhnbitqni'],
  [32513, 'bafkreig2jvkr7tt7mvttrkapkcl3oemumum5oh27q7bemku5khitsmcp4u', 65536, 'baga6ea4seaqok3umzqldmb6v3ron3q7sleowptpazfb7rztsyag3takcebfqyaa'],
  [32768, 'bafkreick4jokh2gch7qohqiym55deeroyd6gasfwvkdsff4tewc4v5bi3u', 65536, 'baga6ea4seaqgqjhpeds2vvyk5nceteockaqjo5ihacskoagthfefo4swveenwky'],
  [49152, 'bafkreia277u2wbn2phzdwwc7ivd5fkdha6yscde25f5rxny5m4tfa454ke', 65536, 'baga6ea4seaqonvdlq4jrs7bxbsfq4rcg456xgdtlvyfxuuipwtxnecfjvbsdujq'],
  [65023, 'bafkreiax6orykqlljduplledmoopjjg7xgm2jnw7q6g3xs5udp6ntvsxke', 65536, 'baga6ea4seaqbjme7dsc6gtn7dt4pqbf6lamta4syybqjp6bhzifr77xxvn4b4fy'],
  [65024, 'bafkreiatnm4yov2dz3hqhuoru5l2ih7di3impph4j275d5yjriky5etsii', 65536, 'baga6ea4seaqamrb5oejo5gajkbg3pbkho7iv6l4ejnpseafvmfgq4azrnoy3wky'],
  [65025, 'bafkreigjrkl5leyjqfkmcddyxso3td5hof37qukg6rgujdpitfk7i4bfi4', 131072, 'baga6ea4seaqncdssy2v3i26mrxalmmsmgc2odp2qy2s3xkionhsxysf4flyrymi'],
  [65536, 'bafkreidefnue2uorh7zgm46qks64bzybhctdeivkojx56scl2f4w524hfa', 131072, 'baga6ea4seaqigfxoks5bfdeliy3kfvuf67in5mqxyes5s7ppr3omcnwk7hvq6hy'],
  [98304, 'bafkreib5bbd3qti3be4eqbje6s6xszcbasray55na5bn2wnkxpo427ebme', 131072, 'baga6ea4seaqkomqmrc5ylf743y5jef5bgjt4q2x4vra2mdibe7cymomhtejs4py'],
  [130047, 'bafkreigzzxqu77kcydqgiyrbh2pys4m7vt646x7hnfzochunrglxniby3m', 131072, 'baga6ea4seaqcxruhsqw6srk36ueqcyeqeaonyesklxdfbagppotvk5awixjrscy'],
  [130048, 'bafkreifhlitlvjcwtbsuzdqlk54ig45pmowtit6kglesljl7xokuc5ldri', 131072, 'baga6ea4seaqoksy5luvvmyeqjvoe2nuocp5ifi3xfjdwyvzgseqdyvexq7vnkba'],
  [130049, 'bafkreihztkf6geu5saqz3wwfz5rzmd2mybqjwl4aqjt6rx6hjka7sqsktm', 262144, 'baga6ea4seaqjptxvam45tflmsmydboiopmx62zt4k3vvb267b5guuc3x2igtchy'],
  [131072, 'bafkreib6kvpvqxgytcbb7v67y6ndqzf3tior4sgoezqxv2m7iqjsvwhri4', 262144, 'baga6ea4seaqpgckigdyvq7fgft5uxzf2h3njhtriyenk55ve67hpufyvxdpmgca'],
  [196608, 'bafkreidkvmilxtfzojwpilpsyeppwjupnohe3ppdm5mfc7y4jx5tmlat4q', 262144, 'baga6ea4seaqh2gabbcgm4ompmln6soxolb2fwao2ekawx3rlelruhxwq7ns6yia'],
  [260095, 'bafkreiezjw5m7uv5xce7uygrjkood25z5r3afoc5jkm4ombzhjysy7jy2u', 262144, 'baga6ea4seaqlfg7uq5qinwj3ybmzssgkty3t6vl2zwsqs3ll6kdk6ybrqnmiehy'],
  [260096, 'bafkreifoth5yhgir3znop57h6iohcqktbz4jacgfzccc4g27ltbqpcjynm', 262144, 'baga6ea4seaqd2uhich4dsaoxfmsswvtulc75otnvlfgyir5466yfjlxkobblwni'],
  [260097, 'bafkreiarv4fkmeovzlqdtbzunw2akkmw6hh3wnmcjptgjtnghuakpwl45m', 524288, 'baga6ea4seaqnz5qpx24hz5vngv5fxfefuczsvrz63hf2cden5yx7byafu5nleoy'],
  [262144, 'bafkreieqgjknhvud4t5nkpf7fy4xdyvnmmjprf2ptugybg4575kp2wqaya', 524288, 'baga6ea4seaqbhwjdvfxbonnmbc4furieab52wqsi2lrg4txtmojbkv3kcvwvepq'],
  [393216, 'bafkreiahxwt2k6mrv4vmte2535prqrz3f5q6i4rpphaybm6dy4hjimamhq', 524288, 'baga6ea4seaqkdrxj53zbbyilikvszgeah6einq3oetv32uef4enlm5jftmelopa'],
  [520191, 'bafkreicjg5qq6xgekdr74vajtyqvjh27pvh2zukru37sowcnktpxyf3l4u', 524288, 'baga6ea4seaqfjvgvxyrsdmkkjcev5dzuyhxqz54cs5q6pqexkeaxtkuxlniouji'],
  [520192, 'bafkreieeg7cqboa3e56qm6h7qkyjmignlnzuqzuwndbamby7fia3z2hgne', 524288, 'baga6ea4seaqniyxwueaxmq5qwanjpzaxoln6s4myai67pe6k26ygz7pb3whpqmy'],
  [520193, 'bafkreigkjiepykfjqyodhgfri65ux7wqqajktezg3clunmtu5vqis3os6y', 1048576, 'baga6ea4seaqld2bhflzw6337tgymt442stnw2kalk3z2qcg6k763erpxapstqai'],
  [524288, 'bafkreicsyjsgkxjqgfv6n2kdh227va2qwzh26hs5grxeqjxvu7f27mtote', 1048576, 'baga6ea4seaqk7fxqktuhcp7egl522yk2raalgaxuq5mtji4f4gv5kv7au2gxiji'],
  [786432, 'bafkreidccz76fy3tk3mn6s3gymzj4llwcs5zdroc5txogpddcg42apwsae', 1048576, 'baga6ea4seaqhhtmlzqbvmo4witvogusj7c5kuewxultccbfpgdbhsz7vw4ffsaa'],
  [1040383, 'bafkreidsio6n2h3psbnksdblahzkj3532zrgpnwfnqpr73t6q6xesk6ecu', 1048576, 'baga6ea4seaqighkgytflpz7uag3vt77vsovjwulez5k3tf37y22vm6vbw76f6ji'],
  [1040384, 'bafkreia4sbvmdtecgtuzo32qu3ieztkm5g4v47xdoch524nii5xxume6we', 1048576, 'baga6ea4seaqez4hy72oaedxshkq64cxyhuqcxhafhtlslnjo5jhrhkntauzzoiq'],
  [1040385, 'bafkreigaimiq2sucngcpctjmbl47oe53pyzwd6xn7w4u5ic6clbejtdb6e', 2097152, 'baga6ea4seaqe4yuunekze3mjktoqgfnopvrh6hxqokwgmzpyx7fuyt2zdsuymfq'],
  [1048576, 'bafkreihcrua2ywpxmkymibxcluhwfgz4cdnwg7bwoc3xrchh4i3yaanjee', 2097152, 'baga6ea4seaqgkatsoy5772gstsfln7aqsgb4an6p6xsm2p6lyrpxs6n6x2unclq'],
  [1572864, 'bafkreiavd3irsprwookkco3jblxq6z43yxctu6w7yvqnjt5achdzenynaa', 2097152, 'baga6ea4seaqan7lvowaycmz76o7wwcn2zzpa4w5lf3j2vccabdop5h2btzvsydq'],
  [2080767, 'bafkreic46dvo7umxnqgjx35yenxql3q27bzistvwyozdrzg5whokzpev5q', 2097152, 'baga6ea4seaqavr3dxhlz7e7xec4t7brwq2gusd7t2nkr3doh5qa5vo3o66m56ka'],
  [2080768, 'bafkreicirtr5eawjtyj5ivn6tthbx2pksm2defoe46hychctwaxij2m4j4', 2097152, 'baga6ea4seaqjpldiuquzmizwn56dfbhp5k4nb3uu4c3jlfmlsswoxtiem64okla'],
  [2080769, 'bafkreia3q7wotjlrannkgscjmy3grkpz4rjpkayrn2q2iwf6f55ymipsj4', 4194304, 'baga6ea4seaqisqdm4dd7afvkbw5j6max5vrfmdeprjftfyi73orktaxgiuj4sji'],
  [2097152, 'bafkreicaw6crvery5i7nskrq5x7srnrksjvai5xdycdlgcbkssth7zezqm', 4194304, 'baga6ea4seaqks36auuu6egbdnvm6fvmcciic36aauf7bq7ouehehrubxoffd6pq'],
  [3145728, 'bafkreias5fltq5ahawg55z2pitymb3rllhzbogm7pg2uwrsxbzijcqxgfi', 4194304, 'baga6ea4seaqorurponxojgq6nhm64thxwaelrhi33436fxvbjayeaaiv5u4o4bi'],
  [4161535, 'bafkreibmknncjgnenv6mrobcrxopn3zkoni5gdrilt7cj72p6hnkgukvlm', 4194304, 'baga6ea4seaqmfs36vzulb7zkjhtag6oi32n33stuhb567j4akueqnmtuft3zgla'],
  [4161536, 'bafkreiehxiwoc76mrbzm5ykjkfgl5tzeh6r2qpms74opgw4qplhuqttina', 4194304, 'baga6ea4seaqjn3mwagcmw4di3bowxtr7hnnhzxpd66h44mjl3yhw7gi4pvslwhy'],
  [4161537, 'bafkreihkaj53h6wgsvu4oyvxw6sbvwpgd7mp5iygyg4lbkambl7ioetf7i', 8388608, 'baga6ea4seaqjftnmpxqgomyti72gedfonkkjo6d2xjxftwdszo452yagi6oyaga'],
]
/** FRC-0069 / go-fil-commcid / data-segment v2 vectors. `D` = 127×0x00 ‖ 127×0x01 ‖ 127×0x02 ‖ 127×0x03. */
export const V2_VECTORS: ReadonlyArray<{ payload: string; size: number; v1: string | null; v2: string; padding: number; height: number }> = [
  { payload: 'D', size: 508, v1: 'baga6ea4seaqes3nobte6ezpp4wqan2age2s5yxcatzotcvobhgcmv5wi2xh5mbi', v2: 'bafkzcibcaaces3nobte6ezpp4wqan2age2s5yxcatzotcvobhgcmv5wi2xh5mbi', padding: 0, height: 4 },
  { payload: 'D ‖ 508×0x00', size: 1016, v1: 'baga6ea4seaqn42av3szurbbscwuu3zjssvfwbpsvbjf6y3tukvlgl2nf5rha6pa', v2: 'bafkzcibcaac542av3szurbbscwuu3zjssvfwbpsvbjf6y3tukvlgl2nf5rha6pa', padding: 0, height: 5 },
  { payload: 'D ‖ 4×0x00', size: 512, v1: 'baga6ea4seaqn42av3szurbbscwuu3zjssvfwbpsvbjf6y3tukvlgl2nf5rha6pa', v2: 'bafkzcibd7abqlxticxolgseegik2stpfgkkuwyf6kufex3doorkvmzpjuxwe4dz4', padding: 504, height: 5 },
  { payload: 'D ‖ 5×0x00', size: 513, v1: 'baga6ea4seaqn42av3szurbbscwuu3zjssvfwbpsvbjf6y3tukvlgl2nf5rha6pa', v2: 'bafkzcibd64bqlxticxolgseegik2stpfgkkuwyf6kufex3doorkvmzpjuxwe4dz4', padding: 503, height: 5 },
  { payload: 'empty', size: 0, v1: null, v2: 'bafkzcibcp4bdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', padding: 127, height: 2 },
  { payload: '127×0x00', size: 127, v1: 'baga6ea4seaqdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', v2: 'bafkzcibcaabdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy', padding: 0, height: 2 },
  { payload: '128×0x00', size: 128, v1: 'baga6ea4seaqgiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy', v2: 'bafkzcibcpybwiktap34inmaex4wbs6cghlq5i2j2yd2bb2zndn5ep7ralzphkdy', padding: 126, height: 3 },
]

/** The FRC-0069 example bytes of the v2 CID of `D` (508 bytes). */
export const V2_D_BYTES_HEX = '01559120220004496dae0cc9e265efe5a006e80626a5dc5c409e5d3155c13984caf6c8d5cfd605'

/** v2 CIDs of all-zero payloads filling 32 GiB and 64 GiB pieces (computed from zero commitments, not hashed). */
export const V2_ZERO_SECTORS: ReadonlyArray<{ size: number; level: number; v1: string; v2: string }> = [
  { size: 34091302912, level: 30, v1: 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq', v2: 'bafkzcibcaapao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq' },
  { size: 68182605824, level: 31, v1: 'baga6ea4seaqomqafu276g53zko4k23xzh4h4uecjwicbmvhsuqi7o4bhthhm4aq', v2: 'bafkzcibcaap6mqafu276g53zko4k23xzh4h4uecjwicbmvhsuqi7o4bhthhm4aq' },
]

/** go-fil-commcid TestTreeHeight: payload size → [height, padding]. */
export const TREE_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [508, 4, 0],
  [512, 5, 504],
  [127, 2, 0],
  [34359738368, 31, 33822867456],
  [34091302912, 30, 0],
  [68719476736, 32, 67645734912],
  [68182605824, 31, 0],
]

/** go-fil-commcid fr32PaddedSizeToV1TreeHeight: fr32 size → height. */
export const FR32_SIZE_HEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [32, 0],
  [127, 2],
  [128, 2],
  [129, 3],
  [512, 4],
  [34359738368, 30],
  [68719476736, 31],
]

/** The 1 MiB `i % 251` payload. */
export const MOD251_1MIB = {
  size: 1048576,
  v1: 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi',
  v2: 'bafkzcibeqcad6ec7b3pqt35rpozogshuebnijtmrs4mlfvqvgem7kqrdr5gnxaxjdu',
  pieceSize: 2097152,
  height: 16,
  padding: 1032192,
  root: '5f0edf09efb17bb2e348f4205a84cd919718b2d6153119f542238f4cdb82e91d',
}

/** Lotus itests/worker_test.go TestWorkerDataCid and go-commp-utils TestZeroPadding. */
export const LOTUS_VECTORS = {
  a1016: { byte: 0x61, size: 1016, pieceSize: 1024, v1: 'baga6ea4seaqlhznlutptgfwhffupyer6txswamerq5fc2jlwf2lys2mm5jtiaeq' },
  a16MiB: { byte: 0x61, size: 16646144, pieceSize: 16777216, v1: 'baga6ea4seaqmhoxl2ybw5m2wyd3pt3h4zmp7j52yumzu2rar26twns3uocq7yfa' },
  a10MiB: { byte: 0x61, size: 10403840, pieceSize: 16777216, v1: 'baga6ea4seaqbxib4pdxs5cqdn3fmtj4rcxk6rx6ztiqmrx7fcpo3ymuxbp2rodi' },
  cat: {
    text: 'i am the biggest cat, what do you think about that',
    size: 127,
    v1: 'baga6ea4seaqozp3abki6vgdf7ztbipcycmxfyt2o64cpuyvdkczsjxsg7bqmioi',
    paddedTo512: 'baga6ea4seaqpqqnvcjg6ufhypxuzyct7gtrzzelz3ecpeplcdwhkttxcpeu7yma',
  },
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** go-commp-utils commd_test.go TestGenerateUnsealedCID: mainnet sector f01392893:139074 (32 GiB). */
export const MAINNET_SECTOR = {
  sectorSize: 32 * GiB,
  pieces: [
    ['baga6ea4seaqknzm22isnhsxt2s4dnw45kfywmhenngqq3nc7jvecakoca6ksyhy', 256 * MiB],
    ['baga6ea4seaqnq6o5wuewdpviyoafno4rdpqnokz6ghvg2iyeyfbqxgcwdlj2egi', GiB],
    ['baga6ea4seaqpixk4ifbkzato3huzycj6ty6gllqwanhdpsvxikawyl5bg2h44mq', 512 * MiB],
    ['baga6ea4seaqaxwe5dy6nt3ko5tngtmzvpqxqikw5mdwfjqgaxfwtzenc6bgzajq', 512 * MiB],
    ['baga6ea4seaqpy33nbesa4d6ot2ygeuy43y4t7amc4izt52mlotqenwcmn2kyaai', GiB],
    ['baga6ea4seaqphvv4x2s2v7ykgc3ugs2kkltbdeg7icxstklkrgqvv72m2v3i2aa', 256 * MiB],
    ['baga6ea4seaqf5u55znk6jwhdsrhe37emzhmehiyvjxpsww274f6fiy3h4yctady', 512 * MiB],
    ['baga6ea4seaqa3qbabsbmvk5er6rhsjzt74beplzgulthamm22jue4zgqcuszofi', GiB],
    ['baga6ea4seaqiekvf623muj6jpxg6vsqaikyw3r4ob5u7363z7zcaixqvfqsc2ji', 256 * MiB],
    ['baga6ea4seaqhsewv65z2d4m5o4vo65vl5o6z4bcegdvgnusvlt7rao44gro36pi', 512 * MiB],
  ] as ReadonlyArray<readonly [string, number]>,
  /** The two zero pieces the test appends: 8 GiB then 16 GiB. */
  zeroTail: [8 * GiB, 16 * GiB],
  commD: 'baga6ea4seaqiw3gbmstmexb7sqwkc5r23o3i7zcyx5kr76pfobpykes3af62kca',
  /** Aggregating only the ten deal pieces: an 8 GiB tree. */
  dealsOnly: 'baga6ea4seaqez5c7zwfn6rqlhmsjeukdlrhs5ubvh2qlevfjwv3dljnaynifqoi',
}

/**
 * lotus chain/proofs/proofs_test.go TestGenerateUnsealedCID, 2 KiB sector: pieces are `[byte, denominator]`,
 * piece bytes = 2032 / denominator bytes of value `byte`; `flat` is the sector's unpadded layout as
 * `[byte, denominator]` runs (0 = zero gap) whose plain commP must equal the CommD.
 */
export const SECTOR_2KIB_CASES: ReadonlyArray<{ name: string; pieces: Array<[number, number]>; flat: Array<[number, number]>; commD: string }> = [
  { name: 'none', pieces: [], flat: [[0, 1]], commD: 'baga6ea4seaqpy7usqklokfx2vxuynmupslkeutzexe2uqurdg5vhtebhxqmpqmy' },
  { name: 'one', pieces: [[1, 1]], flat: [[1, 1]], commD: 'baga6ea4seaqcipv6nf4zjeqvvurex7klupy5latkgrqmarnam5q6djicbbtkalq' },
  { name: 'one/2', pieces: [[1, 2]], flat: [[1, 2], [0, 2]], commD: 'baga6ea4seaqaz33sx34mkapxm77df5vn22xnroqgq752yb2ufaycfxebvqj32hq' },
  { name: 'one/4', pieces: [[1, 4]], flat: [[1, 4], [0, 4], [0, 2]], commD: 'baga6ea4seaqonvekwggtxdsbk3fnpqdy2kznqnoml2ntx5pezsg55djlatwtqeq' },
  { name: 'one/2, two/4', pieces: [[1, 2], [2, 4]], flat: [[1, 2], [2, 4], [0, 4]], commD: 'baga6ea4seaqccpu3nhvmqkuu4yaqbl7yumqkijtlmmbswt6dt7hmw5vasfzx2ii' },
  { name: 'one/4, two/2', pieces: [[1, 4], [2, 2]], flat: [[1, 4], [0, 4], [2, 2]], commD: 'baga6ea4seaqgjbonxb76ykpvts63n4jbyrv7tqxpsju74njrrpyeml26gi5uakq' },
  { name: 'one/8, two/4', pieces: [[1, 8], [2, 4]], flat: [[1, 8], [0, 8], [2, 4], [0, 2]], commD: 'baga6ea4seaqaxxufgxz4fdetxbdxz4l3azucqkzf7uyxvkgtfmpo7xznfqzkeja' },
  { name: 'one/4, two/8', pieces: [[1, 4], [2, 8]], flat: [[1, 4], [2, 8], [0, 8], [0, 2]], commD: 'baga6ea4seaqkahk3kg5gu4gjpy4x6l5j5mfhnbtkh3wxubp6rsp2heoxc6hvwpa' },
  {
    name: '1/16, 2/8, 3/16, 4/4, 5/16',
    pieces: [[1, 16], [2, 8], [3, 16], [4, 4], [5, 16]],
    flat: [[1, 16], [0, 16], [2, 8], [3, 16], [0, 16], [0, 8], [4, 4], [5, 16], [0, 16], [0, 8]],
    commD: 'baga6ea4seaqkqxk5lydedbxl6r6ln4fljandtmmlffzoseohdnong5vzwsk6qna',
  },
]

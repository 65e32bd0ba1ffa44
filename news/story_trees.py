"""The story matcher's learnt decision: boosted trees over news.stories.FEATURES, written out
as comparisons; each leaf adds to the score, which starts at BASE (the threshold folded in):
a pair is one event when the score is ≥ 0.

Written by `akhbar stories-train` (news.story_learning) from tests/data/stories/:
dev, holdout, holdout2, holdout3, holdout4, holdout5, train5, train6a, train6b;
1496 labelled pairs (750 same, 746 different) and 2493 pairs of headlines of different pairs. 30 trees of depth 5.
Not edited by hand: `akhbar stories-train` writes it again, `--check` compares."""

from __future__ import annotations

from collections.abc import Sequence

BASE = -2.16057
# The highest score any pair can reach (news.stories lowers scores by up to this much as
# the hours between two headlines grow: the labelled pairs are all a few hours apart at most).
HIGHEST = 9.72408


def learnt_score(features: Sequence[float]) -> float:
    """The trees' score of one pair's features (news.stories.pair_features)."""
    # each feature in a local variable: read faster than features[i]
    (
        f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11,
        f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23,
        f24, f25, f26, f27, f28, f29, f30, f31,
    ) = features
    score = BASE
    if f7 <= 0.25:  # specific apart
        if f11 <= 0.646446:  # trigrams of all
            if f23 <= 0.5:  # opposite acts
                if f6 <= 0.833333:  # fewest apart
                    score += 1.54631
                else:
                    score += 0.0605928
            else:
                score += -0.146552
        else:
            if f0 <= 0.95:  # share of the shorter
                score += -0.306585
            else:
                if f16 <= 0.5:  # places differ
                    if f11 <= 0.809515:  # trigrams of all
                        score += 1.20947
                    else:
                        score += 0.29175
                else:
                    score += -0.243655
    else:
        if f15 <= 0.5:  # a place shared
            if f26 <= 0.226496:  # leads' share
                if f0 <= 0.563492:  # share of the shorter
                    if f31 <= 0.5:  # french
                        score += -0.328515
                    else:
                        score += 0.268631
                else:
                    if f10 <= 0.681335:  # trigrams of the fewer
                        score += 0.331401
                    else:
                        score += -0.287515
            else:
                if f10 <= 0.691071:  # trigrams of the fewer
                    if f30 <= 0.414286:  # headline in the other's lead
                        score += -0.0316917
                    else:
                        score += 1.28996
                else:
                    score += -0.225415
        else:
            if f5 <= 0.95:  # tokens apart
                if f11 <= 0.514955:  # trigrams of all
                    if f2 <= 0.416667:  # shared tokens
                        score += 0.42377
                    else:
                        score += 1.32527
                else:
                    if f11 <= 0.632863:  # trigrams of all
                        score += 0.168102
                    else:
                        score += -0.290127
            else:
                if f26 <= 0.354167:  # leads' share
                    if f13 <= 0.5:  # a number on one side only
                        score += -0.0155859
                    else:
                        score += -0.334606
                else:
                    score += 1.30159
    if f1 <= 0.414286:  # share of the longer
        if f26 <= 0.226496:  # leads' share
            if f31 <= 0.5:  # french
                if f6 <= 0.5:  # fewest apart
                    score += 0.331894
                else:
                    if f2 <= 0.416667:  # shared tokens
                        score += -0.312026
                    else:
                        score += -0.18749
            else:
                if f20 <= 0.5:  # organisations differ
                    if f13 <= 0.5:  # a number on one side only
                        score += 0.937802
                    else:
                        score += -0.125723
                else:
                    score += -0.287871
        else:
            if f30 <= 0.414286:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    score += 0.153606
                else:
                    score += -0.27164
            else:
                if f28 <= 0.5:  # leads' numbers differ
                    if f5 <= 0.55:  # tokens apart
                        score += 0.357587
                    else:
                        score += 0.779688
                else:
                    score += -0.279884
    else:
        if f20 <= 0.5:  # organisations differ
            if f16 <= 0.5:  # places differ
                if f18 <= 0.5:  # persons differ
                    if f23 <= 0.5:  # opposite acts
                        score += 0.60943
                    else:
                        score += -0.283983
                else:
                    score += -0.33823
            else:
                if f9 <= 0.75:  # shorter length
                    if f5 <= 0.85:  # tokens apart
                        score += -0.351903
                    else:
                        score += -0.145677
                else:
                    if f5 <= 0.55:  # tokens apart
                        score += -0.223414
                    else:
                        score += 0.0415959
        else:
            if f10 <= 0.337719:  # trigrams of the fewer
                score += 0.0693363
            else:
                if f17 <= 0.5:  # a person shared
                    if f11 <= 0.398276:  # trigrams of all
                        score += -0.237462
                    else:
                        score += -0.362298
                else:
                    score += -0.0589718
    if f5 <= 0.75:  # tokens apart
        if f20 <= 0.5:  # organisations differ
            if f16 <= 0.5:  # places differ
                if f18 <= 0.5:  # persons differ
                    if f23 <= 0.5:  # opposite acts
                        score += 0.405088
                    else:
                        score += -0.219985
                else:
                    score += -0.314437
            else:
                if f9 <= 0.85:  # shorter length
                    score += -0.324655
                else:
                    score += -0.0702122
        else:
            if f8 <= 0.25:  # acts apart
                if f12 <= 0.5:  # a number shared
                    if f30 <= 0.775:  # headline in the other's lead
                        score += -0.32143
                    else:
                        score += -0.0529835
                else:
                    score += -0.0038453
            else:
                if f10 <= 0.557778:  # trigrams of the fewer
                    score += 0.07866
                else:
                    score += -0.0852382
    else:
        if f26 <= 0.148352:  # leads' share
            if f15 <= 0.5:  # a place shared
                if f3 <= 0.375:  # specific shared
                    if f31 <= 0.5:  # french
                        score += -0.32263
                    else:
                        score += 0.054567
                else:
                    if f7 <= 0.75:  # specific apart
                        score += 0.263726
                    else:
                        score += -0.224295
            else:
                if f13 <= 0.5:  # a number on one side only
                    if f0 <= 0.3875:  # share of the shorter
                        score += -0.074632
                    else:
                        score += 0.460454
                else:
                    score += -0.348985
        else:
            if f30 <= 0.436508:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    score += 0.183108
                else:
                    score += -0.2368
            else:
                if f28 <= 0.5:  # leads' numbers differ
                    score += 0.540904
                else:
                    score += -0.243814
    if f2 <= 0.416667:  # shared tokens
        if f26 <= 0.226496:  # leads' share
            if f31 <= 0.5:  # french
                if f6 <= 0.5:  # fewest apart
                    if f11 <= 0.478571:  # trigrams of all
                        score += 0.238332
                    else:
                        score += -0.133238
                else:
                    if f3 <= 0.375:  # specific shared
                        score += -0.302515
                    else:
                        score += -0.212266
            else:
                if f20 <= 0.5:  # organisations differ
                    if f11 <= 0.256854:  # trigrams of all
                        score += 0.446586
                    else:
                        score += 0.0565108
                else:
                    score += -0.253905
        else:
            if f28 <= 0.5:  # leads' numbers differ
                if f30 <= 0.436508:  # headline in the other's lead
                    if f29 <= 0.5:  # leads apart
                        score += -0.24248
                    else:
                        score += 0.314871
                else:
                    if f1 <= 0.45:  # share of the longer
                        score += 0.41265
                    else:
                        score += -0.167095
            else:
                score += -0.311498
    else:
        if f20 <= 0.5:  # organisations differ
            if f16 <= 0.5:  # places differ
                if f11 <= 0.591751:  # trigrams of all
                    if f6 <= 0.833333:  # fewest apart
                        score += 0.403852
                    else:
                        score += 0.15761
                else:
                    if f0 <= 0.95:  # share of the shorter
                        score += -0.288307
                    else:
                        score += 0.30012
            else:
                if f19 <= 0.5:  # each names a person
                    if f11 <= 0.133514:  # trigrams of all
                        score += -0.0315911
                    else:
                        score += -0.301362
                else:
                    score += -0.0219667
        else:
            if f3 <= 0.625:  # specific shared
                score += -0.32374
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        score += -0.0820047
                    else:
                        score += 0.421071
                else:
                    if f17 <= 0.5:  # a person shared
                        score += -0.312328
                    else:
                        score += -0.059449
    if f2 <= 0.416667:  # shared tokens
        if f26 <= 0.449495:  # leads' share
            if f31 <= 0.5:  # french
                if f15 <= 0.5:  # a place shared
                    if f4 <= 0.166667:  # acts shared
                        score += -0.195227
                    else:
                        score += -0.294749
                else:
                    if f30 <= 0.436508:  # headline in the other's lead
                        score += -0.130794
                    else:
                        score += 0.293231
            else:
                if f20 <= 0.5:  # organisations differ
                    if f3 <= 0.125:  # specific shared
                        score += -0.0713322
                    else:
                        score += 0.375046
                else:
                    score += -0.23176
        else:
            if f11 <= 0.206383:  # trigrams of all
                score += 0.362716
            else:
                score += 0.00635925
    else:
        if f20 <= 0.5:  # organisations differ
            if f16 <= 0.5:  # places differ
                if f18 <= 0.5:  # persons differ
                    if f23 <= 0.5:  # opposite acts
                        score += 0.25808
                    else:
                        score += -0.220891
                else:
                    score += -0.295067
            else:
                if f6 <= 0.833333:  # fewest apart
                    score += -0.304659
                else:
                    if f0 <= 0.535714:  # share of the shorter
                        score += -0.261705
                    else:
                        score += 0.02858
        else:
            if f3 <= 0.625:  # specific shared
                score += -0.306924
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f30 <= 0.208333:  # headline in the other's lead
                        score += 0.33151
                    else:
                        score += -0.0647218
                else:
                    if f12 <= 0.5:  # a number shared
                        score += -0.297298
                    else:
                        score += -0.0358761
    if f0 <= 0.585714:  # share of the shorter
        if f26 <= 0.148352:  # leads' share
            if f12 <= 0.5:  # a number shared
                if f17 <= 0.5:  # a person shared
                    if f30 <= 0.05:  # headline in the other's lead
                        score += -0.183106
                    else:
                        score += -0.325284
                else:
                    if f3 <= 0.375:  # specific shared
                        score += -0.128934
                    else:
                        score += 0.38155
            else:
                if f16 <= 0.5:  # places differ
                    if f1 <= 0.309524:  # share of the longer
                        score += -0.0414559
                    else:
                        score += 0.46231
                else:
                    score += -0.238625
        else:
            if f30 <= 0.436508:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    if f29 <= 0.5:  # leads apart
                        score += -0.109661
                    else:
                        score += 0.273168
                else:
                    score += -0.245763
            else:
                if f28 <= 0.5:  # leads' numbers differ
                    if f5 <= 0.55:  # tokens apart
                        score += 0.0637053
                    else:
                        score += 0.37763
                else:
                    score += -0.215872
    else:
        if f11 <= 0.486477:  # trigrams of all
            if f20 <= 0.5:  # organisations differ
                if f16 <= 0.5:  # places differ
                    if f3 <= 0.125:  # specific shared
                        score += -0.147258
                    else:
                        score += 0.329905
                else:
                    if f6 <= 0.833333:  # fewest apart
                        score += -0.258641
                    else:
                        score += 0.0471657
            else:
                if f9 <= 0.65:  # shorter length
                    if f0 <= 0.775:  # share of the shorter
                        score += -0.242665
                    else:
                        score += 0.0512347
                else:
                    score += 0.29039
        else:
            if f6 <= 0.166667:  # fewest apart
                if f16 <= 0.5:  # places differ
                    if f10 <= 0.912779:  # trigrams of the fewer
                        score += 0.293584
                    else:
                        score += 0.049918
                else:
                    score += -0.184359
            else:
                if f11 <= 0.637331:  # trigrams of all
                    if f6 <= 0.5:  # fewest apart
                        score += 0.0305447
                    else:
                        score += -0.335585
                else:
                    if f0 <= 0.95:  # share of the shorter
                        score += -0.33586
                    else:
                        score += -0.0841219
    if f16 <= 0.5:  # places differ
        if f20 <= 0.5:  # organisations differ
            if f5 <= 0.95:  # tokens apart
                if f30 <= 0.0555556:  # headline in the other's lead
                    if f18 <= 0.5:  # persons differ
                        score += 0.182771
                    else:
                        score += -0.247763
                else:
                    if f26 <= 0.449495:  # leads' share
                        score += -0.26202
                    else:
                        score += 0.210494
            else:
                if f26 <= 0.162338:  # leads' share
                    if f12 <= 0.5:  # a number shared
                        score += -0.189557
                    else:
                        score += 0.194198
                else:
                    if f4 <= 0.166667:  # acts shared
                        score += 0.256072
                    else:
                        score += -0.0786276
        else:
            if f3 <= 0.625:  # specific shared
                if f3 <= 0.125:  # specific shared
                    score += -0.0507887
                else:
                    score += -0.287005
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        score += -0.0638794
                    else:
                        score += 0.306615
                else:
                    if f0 <= 0.866071:  # share of the shorter
                        score += -0.273022
                    else:
                        score += -0.0626476
    else:
        if f30 <= 0.732143:  # headline in the other's lead
            if f19 <= 0.5:  # each names a person
                if f3 <= 0.875:  # specific shared
                    score += -0.292965
                else:
                    score += -0.106559
            else:
                if f11 <= 0.197561:  # trigrams of all
                    score += -0.234031
                else:
                    score += 0.0748571
        else:
            score += 0.00353526
    if f16 <= 0.5:  # places differ
        if f12 <= 0.5:  # a number shared
            if f0 <= 0.95:  # share of the shorter
                if f11 <= 0.415881:  # trigrams of all
                    if f1 <= 0.522727:  # share of the longer
                        score += -0.069448
                    else:
                        score += 0.261355
                else:
                    if f31 <= 0.5:  # french
                        score += -0.296085
                    else:
                        score += -0.00189641
            else:
                if f25 <= 0.5:  # both have a lead
                    if f11 <= 0.76902:  # trigrams of all
                        score += 0.315812
                    else:
                        score += -0.0217021
                else:
                    score += -0.251213
        else:
            if f10 <= 0.826505:  # trigrams of the fewer
                if f1 <= 0.309524:  # share of the longer
                    if f0 <= 0.309524:  # share of the shorter
                        score += 0.0719212
                    else:
                        score += -0.202251
                else:
                    if f11 <= 0.61221:  # trigrams of all
                        score += 0.35459
                    else:
                        score += 0.0855877
            else:
                if f5 <= 0.15:  # tokens apart
                    if f11 <= 0.725822:  # trigrams of all
                        score += 0.178575
                    else:
                        score += -0.0616032
                else:
                    score += -0.333888
    else:
        if f27 <= 0.45:  # leads' shared tokens
            if f19 <= 0.5:  # each names a person
                if f3 <= 0.875:  # specific shared
                    score += -0.283553
                else:
                    score += -0.0933633
            else:
                if f11 <= 0.197561:  # trigrams of all
                    score += -0.218015
                else:
                    score += 0.06553
        else:
            score += -0.00305163
    if f16 <= 0.5:  # places differ
        if f20 <= 0.5:  # organisations differ
            if f13 <= 0.5:  # a number on one side only
                if f11 <= 0.591751:  # trigrams of all
                    if f3 <= 0.375:  # specific shared
                        score += -0.00723603
                    else:
                        score += 0.193481
                else:
                    if f0 <= 0.95:  # share of the shorter
                        score += -0.248485
                    else:
                        score += 0.0810263
            else:
                if f30 <= 0.464286:  # headline in the other's lead
                    if f11 <= 0.388354:  # trigrams of all
                        score += -0.21184
                    else:
                        score += 0.291228
                else:
                    if f30 <= 0.775:  # headline in the other's lead
                        score += 0.0538863
                    else:
                        score += 0.255557
        else:
            if f15 <= 0.5:  # a place shared
                if f3 <= 0.625:  # specific shared
                    score += -0.277334
                else:
                    if f11 <= 0.365596:  # trigrams of all
                        score += 0.0673175
                    else:
                        score += -0.25473
            else:
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        score += 0.307663
                    else:
                        score += 0.00216873
                else:
                    score += -0.211641
    else:
        if f27 <= 0.45:  # leads' shared tokens
            if f19 <= 0.5:  # each names a person
                if f3 <= 0.875:  # specific shared
                    score += -0.272316
                else:
                    score += -0.0803795
            else:
                if f3 <= 0.375:  # specific shared
                    score += -0.205857
                else:
                    score += 0.0677583
        else:
            score += -0.00253474
    if f16 <= 0.5:  # places differ
        if f24 <= 0.5:  # other acts
            if f20 <= 0.5:  # organisations differ
                if f11 <= 0.632691:  # trigrams of all
                    if f6 <= 0.5:  # fewest apart
                        score += 0.254598
                    else:
                        score += 0.0500268
                else:
                    if f6 <= 0.166667:  # fewest apart
                        score += 0.105327
                    else:
                        score += -0.225013
            else:
                if f15 <= 0.5:  # a place shared
                    if f4 <= 0.166667:  # acts shared
                        score += -0.00582688
                    else:
                        score += -0.234708
                else:
                    if f11 <= 0.412562:  # trigrams of all
                        score += 0.2367
                    else:
                        score += -0.0585056
        else:
            if f11 <= 0.415881:  # trigrams of all
                if f15 <= 0.5:  # a place shared
                    if f7 <= 0.75:  # specific apart
                        score += 0.074355
                    else:
                        score += -0.180882
                else:
                    if f13 <= 0.5:  # a number on one side only
                        score += 0.200823
                    else:
                        score += -0.187778
            else:
                if f1 <= 0.788889:  # share of the longer
                    if f10 <= 0.664796:  # trigrams of the fewer
                        score += -0.134981
                    else:
                        score += -0.476388
                else:
                    score += -0.0847813
    else:
        if f3 <= 0.875:  # specific shared
            if f19 <= 0.5:  # each names a person
                score += -0.255289
            else:
                if f11 <= 0.197561:  # trigrams of all
                    score += -0.19496
                else:
                    score += 0.0982223
        else:
            if f11 <= 0.711982:  # trigrams of all
                score += 0.118677
            else:
                score += -0.160674
    if f12 <= 0.5:  # a number shared
        if f15 <= 0.5:  # a place shared
            if f17 <= 0.5:  # a person shared
                if f3 <= 0.375:  # specific shared
                    if f26 <= 0.146465:  # leads' share
                        score += -0.228353
                    else:
                        score += 0.0782544
                else:
                    if f11 <= 0.172627:  # trigrams of all
                        score += 0.14531
                    else:
                        score += -0.0859622
            else:
                if f3 <= 0.375:  # specific shared
                    score += -0.0787767
                else:
                    if f16 <= 0.5:  # places differ
                        score += 0.324335
                    else:
                        score += -0.0285001
        else:
            if f11 <= 0.331439:  # trigrams of all
                if f13 <= 0.5:  # a number on one side only
                    if f21 <= 0.5:  # each names an organisation
                        score += 0.266738
                    else:
                        score += -0.0131276
                else:
                    if f30 <= 0.464286:  # headline in the other's lead
                        score += -0.246165
                    else:
                        score += 0.282604
            else:
                if f0 <= 0.866071:  # share of the shorter
                    if f5 <= 0.35:  # tokens apart
                        score += -0.00257924
                    else:
                        score += -0.308112
                else:
                    if f4 <= 0.5:  # acts shared
                        score += 0.0544983
                    else:
                        score += 0.264185
    else:
        if f10 <= 0.820202:  # trigrams of the fewer
            if f1 <= 0.316667:  # share of the longer
                if f10 <= 0.230658:  # trigrams of the fewer
                    score += -0.219485
                else:
                    if f10 <= 0.278424:  # trigrams of the fewer
                        score += 0.288687
                    else:
                        score += -0.179237
            else:
                if f11 <= 0.485609:  # trigrams of all
                    if f16 <= 0.5:  # places differ
                        score += 0.32034
                    else:
                        score += 0.0777416
                else:
                    if f0 <= 0.816667:  # share of the shorter
                        score += -0.11048
                    else:
                        score += 0.194248
        else:
            if f5 <= 0.15:  # tokens apart
                if f11 <= 0.736232:  # trigrams of all
                    score += 0.0660335
                else:
                    score += -0.0552984
            else:
                if f10 <= 0.885042:  # trigrams of the fewer
                    score += -0.347125
                else:
                    score += -0.114638
    if f5 <= 0.95:  # tokens apart
        if f11 <= 0.412132:  # trigrams of all
            if f3 <= 0.625:  # specific shared
                if f26 <= 0.449495:  # leads' share
                    if f11 <= 0.0924444:  # trigrams of all
                        score += -0.278041
                    else:
                        score += 0.0281032
                else:
                    score += 0.286162
            else:
                if f30 <= 0.0555556:  # headline in the other's lead
                    if f23 <= 0.5:  # opposite acts
                        score += 0.282941
                    else:
                        score += -0.0379623
                else:
                    if f26 <= 0.387701:  # leads' share
                        score += -0.23445
                    else:
                        score += 0.166326
        else:
            if f0 <= 0.866071:  # share of the shorter
                if f12 <= 0.5:  # a number shared
                    if f5 <= 0.35:  # tokens apart
                        score += -0.111601
                    else:
                        score += -0.319312
                else:
                    if f11 <= 0.635789:  # trigrams of all
                        score += 0.0974394
                    else:
                        score += -0.244763
            else:
                if f25 <= 0.5:  # both have a lead
                    if f11 <= 0.765165:  # trigrams of all
                        score += 0.222834
                    else:
                        score += -0.123591
                else:
                    score += -0.392548
    else:
        if f26 <= 0.162338:  # leads' share
            if f0 <= 0.3875:  # share of the shorter
                if f3 <= 0.375:  # specific shared
                    if f12 <= 0.5:  # a number shared
                        score += -0.288422
                    else:
                        score += -0.0786313
                else:
                    if f1 <= 0.279221:  # share of the longer
                        score += -0.176194
                    else:
                        score += 0.048677
            else:
                if f2 <= 0.583333:  # shared tokens
                    if f1 <= 0.316667:  # share of the longer
                        score += -0.0616004
                    else:
                        score += 0.247035
                else:
                    score += -0.187995
        else:
            if f4 <= 0.166667:  # acts shared
                if f8 <= 0.25:  # acts apart
                    score += 0.273984
                else:
                    score += 0.038519
            else:
                score += -0.0547507
    if f20 <= 0.5:  # organisations differ
        if f16 <= 0.5:  # places differ
            if f30 <= 0.0555556:  # headline in the other's lead
                if f3 <= 0.375:  # specific shared
                    if f15 <= 0.5:  # a place shared
                        score += -0.123037
                    else:
                        score += 0.211734
                else:
                    if f8 <= 0.75:  # acts apart
                        score += 0.126845
                    else:
                        score += -0.198561
            else:
                if f1 <= 0.211111:  # share of the longer
                    if f25 <= 0.5:  # both have a lead
                        score += -0.174767
                    else:
                        score += 0.222477
                else:
                    if f26 <= 0.519231:  # leads' share
                        score += -0.284607
                    else:
                        score += 0.162593
        else:
            if f27 <= 0.45:  # leads' shared tokens
                if f19 <= 0.5:  # each names a person
                    if f10 <= 0.18809:  # trigrams of the fewer
                        score += -0.0470044
                    else:
                        score += -0.226928
                else:
                    if f9 <= 0.65:  # shorter length
                        score += -0.17145
                    else:
                        score += 0.126049
            else:
                score += 0.0270074
    else:
        if f3 <= 0.625:  # specific shared
            if f11 <= 0.112255:  # trigrams of all
                score += -0.0492377
            else:
                if f11 <= 0.395644:  # trigrams of all
                    score += -0.262966
                else:
                    score += -0.0942115
        else:
            if f10 <= 0.58477:  # trigrams of the fewer
                if f1 <= 0.3875:  # share of the longer
                    score += -0.0510736
                else:
                    if f11 <= 0.295625:  # trigrams of all
                        score += 0.271357
                    else:
                        score += 0.00436974
            else:
                if f15 <= 0.5:  # a place shared
                    score += -0.220275
                else:
                    score += -0.0409883
    if f20 <= 0.5:  # organisations differ
        if f16 <= 0.5:  # places differ
            if f9 <= 0.65:  # shorter length
                if f23 <= 0.5:  # opposite acts
                    if f10 <= 0.186773:  # trigrams of the fewer
                        score += -0.0937413
                    else:
                        score += 0.0988469
                else:
                    score += -0.242993
            else:
                if f0 <= 0.354167:  # share of the shorter
                    if f12 <= 0.5:  # a number shared
                        score += -0.211499
                    else:
                        score += 0.0705782
                else:
                    if f2 <= 0.583333:  # shared tokens
                        score += 0.212537
                    else:
                        score += -0.0920314
        else:
            if f1 <= 0.354167:  # share of the longer
                if f21 <= 0.5:  # each names an organisation
                    score += -0.238117
                else:
                    score += -0.0323204
            else:
                if f5 <= 0.65:  # tokens apart
                    score += -0.242788
                else:
                    score += 0.251538
    else:
        if f3 <= 0.625:  # specific shared
            if f11 <= 0.154243:  # trigrams of all
                if f5 <= 0.95:  # tokens apart
                    score += 0.0525494
                else:
                    score += -0.152117
            else:
                if f11 <= 0.395644:  # trigrams of all
                    score += -0.272536
                else:
                    score += -0.0811311
        else:
            if f10 <= 0.58477:  # trigrams of the fewer
                if f30 <= 0.208333:  # headline in the other's lead
                    if f11 <= 0.235:  # trigrams of all
                        score += -0.0729212
                    else:
                        score += 0.300528
                else:
                    score += -0.0594322
            else:
                if f2 <= 0.916667:  # shared tokens
                    score += -0.207002
                else:
                    score += -0.0299263
    if f18 <= 0.5:  # persons differ
        if f24 <= 0.5:  # other acts
            if f16 <= 0.5:  # places differ
                if f10 <= 0.838274:  # trigrams of the fewer
                    if f6 <= 0.5:  # fewest apart
                        score += 0.196763
                    else:
                        score += 0.0265663
                else:
                    if f7 <= 0.25:  # specific apart
                        score += 0.0210024
                    else:
                        score += -0.230047
            else:
                if f30 <= 0.414286:  # headline in the other's lead
                    if f1 <= 0.3875:  # share of the longer
                        score += -0.23125
                    else:
                        score += -0.10131
                else:
                    score += 0.0106598
        else:
            if f11 <= 0.44446:  # trigrams of all
                if f21 <= 0.5:  # each names an organisation
                    if f1 <= 0.279221:  # share of the longer
                        score += -0.114219
                    else:
                        score += 0.0634093
                else:
                    if f7 <= 0.75:  # specific apart
                        score += 0.0251016
                    else:
                        score += -0.190614
            else:
                if f1 <= 0.788889:  # share of the longer
                    score += -0.384276
                else:
                    score += -0.043736
    else:
        if f11 <= 0.140682:  # trigrams of all
            score += -0.0315124
        else:
            score += -0.278665
    if f11 <= 0.416126:  # trigrams of all
        if f1 <= 0.522727:  # share of the longer
            if f26 <= 0.269697:  # leads' share
                if f30 <= 0.05:  # headline in the other's lead
                    if f3 <= 0.375:  # specific shared
                        score += -0.102363
                    else:
                        score += 0.067749
                else:
                    if f26 <= 0.148352:  # leads' share
                        score += -0.293757
                    else:
                        score += 0.0205797
            else:
                if f28 <= 0.5:  # leads' numbers differ
                    if f30 <= 0.414286:  # headline in the other's lead
                        score += 0.000804826
                    else:
                        score += 0.267351
                else:
                    score += -0.201834
        else:
            if f23 <= 0.5:  # opposite acts
                if f30 <= 0.55:  # headline in the other's lead
                    if f5 <= 0.25:  # tokens apart
                        score += 0.0332336
                    else:
                        score += 0.260266
                else:
                    score += -0.0508384
            else:
                score += -0.0983103
    else:
        if f0 <= 0.866071:  # share of the shorter
            if f5 <= 0.35:  # tokens apart
                if f11 <= 0.632116:  # trigrams of all
                    if f15 <= 0.5:  # a place shared
                        score += -0.0834385
                    else:
                        score += 0.221588
                else:
                    score += -0.283561
            else:
                if f11 <= 0.540675:  # trigrams of all
                    if f9 <= 0.85:  # shorter length
                        score += -0.376203
                    else:
                        score += 0.0870102
                else:
                    if f11 <= 0.551981:  # trigrams of all
                        score += 0.264209
                    else:
                        score += -0.210681
        else:
            if f26 <= 0.1:  # leads' share
                if f11 <= 0.732738:  # trigrams of all
                    if f2 <= 0.916667:  # shared tokens
                        score += 0.0910053
                    else:
                        score += 0.255417
                else:
                    if f10 <= 0.949491:  # trigrams of the fewer
                        score += -0.203911
                    else:
                        score += 0.169035
            else:
                score += -0.32211
    if f20 <= 0.5:  # organisations differ
        if f18 <= 0.5:  # persons differ
            if f30 <= 0.05:  # headline in the other's lead
                if f11 <= 0.0920296:  # trigrams of all
                    if f0 <= 0.414286:  # share of the shorter
                        score += -0.236251
                    else:
                        score += -0.038469
                else:
                    if f11 <= 0.106525:  # trigrams of all
                        score += 0.358306
                    else:
                        score += 0.0323674
            else:
                if f26 <= 0.269697:  # leads' share
                    if f0 <= 0.225:  # share of the shorter
                        score += -0.0244695
                    else:
                        score += -0.297549
                else:
                    if f5 <= 0.55:  # tokens apart
                        score += -0.177532
                    else:
                        score += 0.185207
        else:
            if f11 <= 0.140682:  # trigrams of all
                score += 0.00058006
            else:
                score += -0.25258
    else:
        if f3 <= 0.625:  # specific shared
            if f11 <= 0.154243:  # trigrams of all
                if f9 <= 0.65:  # shorter length
                    score += 0.0565956
                else:
                    score += -0.153224
            else:
                if f10 <= 0.602632:  # trigrams of the fewer
                    score += -0.258334
                else:
                    score += -0.0667247
        else:
            if f10 <= 0.58477:  # trigrams of the fewer
                if f11 <= 0.245192:  # trigrams of all
                    score += -0.0500762
                else:
                    if f10 <= 0.53125:  # trigrams of the fewer
                        score += 0.0463329
                    else:
                        score += 0.185984
            else:
                score += -0.149053
    if f24 <= 0.5:  # other acts
        if f11 <= 0.402518:  # trigrams of all
            if f10 <= 0.401754:  # trigrams of the fewer
                if f1 <= 0.472222:  # share of the longer
                    if f11 <= 0.16447:  # trigrams of all
                        score += 0.0274509
                    else:
                        score += -0.239259
                else:
                    score += 0.278178
            else:
                if f16 <= 0.5:  # places differ
                    if f9 <= 0.45:  # shorter length
                        score += 0.0173259
                    else:
                        score += 0.274187
                else:
                    score += -0.0953676
        else:
            if f0 <= 0.690476:  # share of the shorter
                if f11 <= 0.449138:  # trigrams of all
                    score += -0.35921
                else:
                    if f1 <= 0.633333:  # share of the longer
                        score += 0.148705
                    else:
                        score += -0.277266
            else:
                if f11 <= 0.59233:  # trigrams of all
                    if f30 <= 0.732143:  # headline in the other's lead
                        score += 0.106394
                    else:
                        score += -0.157301
                else:
                    if f0 <= 0.866071:  # share of the shorter
                        score += -0.193212
                    else:
                        score += -0.0231397
    else:
        if f10 <= 0.373547:  # trigrams of the fewer
            if f0 <= 0.414286:  # share of the shorter
                if f10 <= 0.230139:  # trigrams of the fewer
                    if f30 <= 0.464286:  # headline in the other's lead
                        score += -0.295726
                    else:
                        score += 0.0976069
                else:
                    if f11 <= 0.126376:  # trigrams of all
                        score += 0.316621
                    else:
                        score += -0.0278563
            else:
                if f3 <= 0.375:  # specific shared
                    score += 0.0474951
                else:
                    if f1 <= 0.3875:  # share of the longer
                        score += 0.489663
                    else:
                        score += 0.150338
        else:
            if f10 <= 0.458896:  # trigrams of the fewer
                if f2 <= 0.583333:  # shared tokens
                    score += -0.293996
                else:
                    score += -0.0840962
            else:
                if f10 <= 0.520417:  # trigrams of the fewer
                    if f4 <= 0.5:  # acts shared
                        score += 0.193335
                    else:
                        score += -0.190066
                else:
                    if f13 <= 0.5:  # a number on one side only
                        score += -0.130903
                    else:
                        score += -0.32646
    if f28 <= 0.5:  # leads' numbers differ
        if f27 <= 0.55:  # leads' shared tokens
            if f30 <= 0.05:  # headline in the other's lead
                if f13 <= 0.5:  # a number on one side only
                    if f11 <= 0.328079:  # trigrams of all
                        score += 0.0804284
                    else:
                        score += -0.0508488
                else:
                    if f3 <= 0.625:  # specific shared
                        score += -0.149756
                    else:
                        score += 0.155697
            else:
                if f1 <= 0.211111:  # share of the longer
                    if f10 <= 0.183503:  # trigrams of the fewer
                        score += -0.0440861
                    else:
                        score += 0.228938
                else:
                    if f4 <= 0.5:  # acts shared
                        score += -0.298597
                    else:
                        score += -0.021651
        else:
            if f0 <= 0.738636:  # share of the shorter
                score += 0.256836
            else:
                score += 0.0622775
    else:
        score += -0.260685
    if f20 <= 0.5:  # organisations differ
        if f3 <= 0.125:  # specific shared
            if f15 <= 0.5:  # a place shared
                if f1 <= 0.211111:  # share of the longer
                    if f28 <= 0.5:  # leads' numbers differ
                        score += 0.202756
                    else:
                        score += -0.191701
                else:
                    if f5 <= 0.55:  # tokens apart
                        score += -0.101934
                    else:
                        score += -0.272601
            else:
                if f1 <= 0.1125:  # share of the longer
                    score += 0.0078397
                else:
                    score += 0.174354
        else:
            if f9 <= 0.65:  # shorter length
                if f11 <= 0.335498:  # trigrams of all
                    if f11 <= 0.0920296:  # trigrams of all
                        score += -0.1568
                    else:
                        score += 0.11941
                else:
                    if f5 <= 0.35:  # tokens apart
                        score += 0.0672847
                    else:
                        score += -0.146854
            else:
                if f7 <= 0.75:  # specific apart
                    if f11 <= 0.426078:  # trigrams of all
                        score += 0.33916
                    else:
                        score += -0.0635072
                else:
                    if f17 <= 0.5:  # a person shared
                        score += -0.111343
                    else:
                        score += 0.231554
    else:
        if f15 <= 0.5:  # a place shared
            if f4 <= 0.166667:  # acts shared
                if f0 <= 0.366667:  # share of the shorter
                    score += -0.178469
                else:
                    score += 0.0785822
            else:
                if f30 <= 0.472222:  # headline in the other's lead
                    if f1 <= 0.6125:  # share of the longer
                        score += -0.257592
                    else:
                        score += -0.0622253
                else:
                    score += -0.0313902
        else:
            if f5 <= 0.35:  # tokens apart
                score += -0.156004
            else:
                score += 0.222921
    if f16 <= 0.5:  # places differ
        if f24 <= 0.5:  # other acts
            if f4 <= 0.166667:  # acts shared
                if f5 <= 0.25:  # tokens apart
                    score += -0.17166
                else:
                    if f1 <= 0.267857:  # share of the longer
                        score += 0.0242703
                    else:
                        score += 0.222352
            else:
                if f0 <= 0.585714:  # share of the shorter
                    if f13 <= 0.5:  # a number on one side only
                        score += -0.0513295
                    else:
                        score += -0.251407
                else:
                    if f11 <= 0.41855:  # trigrams of all
                        score += 0.189144
                    else:
                        score += 0.00144124
        else:
            if f11 <= 0.192113:  # trigrams of all
                if f10 <= 0.293611:  # trigrams of the fewer
                    if f15 <= 0.5:  # a place shared
                        score += -0.169525
                    else:
                        score += 0.0327622
                else:
                    if f8 <= 0.25:  # acts apart
                        score += -0.192457
                    else:
                        score += 0.369673
            else:
                if f13 <= 0.5:  # a number on one side only
                    if f11 <= 0.271005:  # trigrams of all
                        score += -0.157065
                    else:
                        score += 0.0214977
                else:
                    score += -0.285251
    else:
        if f19 <= 0.5:  # each names a person
            if f3 <= 0.875:  # specific shared
                if f10 <= 0.292893:  # trigrams of the fewer
                    if f5 <= 0.95:  # tokens apart
                        score += 0.141351
                    else:
                        score += -0.156789
                else:
                    score += -0.254136
            else:
                score += 0.0305672
        else:
            score += 0.0326362
    if f18 <= 0.5:  # persons differ
        if f6 <= 0.166667:  # fewest apart
            if f11 <= 0.610799:  # trigrams of all
                score += 0.215237
            else:
                if f11 <= 0.649004:  # trigrams of all
                    score += -0.18876
                else:
                    if f2 <= 0.75:  # shared tokens
                        score += -0.0358215
                    else:
                        score += 0.158666
        else:
            if f11 <= 0.637331:  # trigrams of all
                if f12 <= 0.5:  # a number shared
                    if f1 <= 0.211111:  # share of the longer
                        score += 0.123792
                    else:
                        score += -0.0336344
                else:
                    if f10 <= 0.224319:  # trigrams of the fewer
                        score += -0.170404
                    else:
                        score += 0.154268
            else:
                if f9 <= 0.75:  # shorter length
                    score += -0.232457
                else:
                    score += -0.0394073
    else:
        if f11 <= 0.140682:  # trigrams of all
            score += -0.0100836
        else:
            score += -0.236432
    if f20 <= 0.5:  # organisations differ
        if f31 <= 0.5:  # french
            if f3 <= 0.375:  # specific shared
                if f15 <= 0.5:  # a place shared
                    if f6 <= 0.5:  # fewest apart
                        score += 0.0995858
                    else:
                        score += -0.163415
                else:
                    if f11 <= 0.206223:  # trigrams of all
                        score += 0.145112
                    else:
                        score += -0.0754419
            else:
                if f2 <= 0.583333:  # shared tokens
                    if f0 <= 0.414286:  # share of the shorter
                        score += -0.0199978
                    else:
                        score += 0.230503
                else:
                    if f1 <= 0.645833:  # share of the longer
                        score += -0.144676
                    else:
                        score += 0.0411669
        else:
            if f15 <= 0.5:  # a place shared
                if f11 <= 0.514955:  # trigrams of all
                    score += 0.294307
                else:
                    score += 0.067021
            else:
                if f1 <= 0.354167:  # share of the longer
                    score += 0.2281
                else:
                    if f0 <= 0.816667:  # share of the shorter
                        score += -0.353857
                    else:
                        score += 0.139248
    else:
        if f15 <= 0.5:  # a place shared
            if f11 <= 0.154243:  # trigrams of all
                score += -0.0163295
            else:
                if f2 <= 0.75:  # shared tokens
                    if f4 <= 0.166667:  # acts shared
                        score += -0.073955
                    else:
                        score += -0.244791
                else:
                    score += -0.0230949
        else:
            if f5 <= 0.45:  # tokens apart
                score += -0.119571
            else:
                score += 0.210417
    if f23 <= 0.5:  # opposite acts
        if f21 <= 0.5:  # each names an organisation
            if f10 <= 0.256777:  # trigrams of the fewer
                if f30 <= 0.775:  # headline in the other's lead
                    if f1 <= 0.267857:  # share of the longer
                        score += -0.171884
                    else:
                        score += 0.0138966
                else:
                    score += 0.18938
            else:
                if f0 <= 0.436508:  # share of the shorter
                    if f13 <= 0.5:  # a number on one side only
                        score += 0.239627
                    else:
                        score += -0.0600776
                else:
                    if f0 <= 0.585714:  # share of the shorter
                        score += -0.118702
                    else:
                        score += 0.0367998
        else:
            if f17 <= 0.5:  # a person shared
                if f24 <= 0.5:  # other acts
                    if f11 <= 0.398276:  # trigrams of all
                        score += 0.101454
                    else:
                        score += -0.214893
                else:
                    if f10 <= 0.305235:  # trigrams of the fewer
                        score += -0.0522057
                    else:
                        score += -0.233748
            else:
                score += 0.318837
    else:
        if f7 <= 0.25:  # specific apart
            score += -0.0269975
        else:
            score += -0.219328
    if f18 <= 0.5:  # persons differ
        if f30 <= 0.05:  # headline in the other's lead
            if f10 <= 0.186773:  # trigrams of the fewer
                if f8 <= 0.25:  # acts apart
                    score += -0.203342
                else:
                    score += -0.0486096
            else:
                if f11 <= 0.106525:  # trigrams of all
                    if f1 <= 0.267857:  # share of the longer
                        score += -0.0290102
                    else:
                        score += 0.407056
                else:
                    if f10 <= 0.230139:  # trigrams of the fewer
                        score += -0.203637
                    else:
                        score += 0.0215692
        else:
            if f26 <= 0.269697:  # leads' share
                if f0 <= 0.225:  # share of the shorter
                    score += -0.0331517
                else:
                    score += -0.282788
            else:
                if f10 <= 0.673333:  # trigrams of the fewer
                    if f30 <= 0.763889:  # headline in the other's lead
                        score += 0.030261
                    else:
                        score += 0.230696
                else:
                    score += -0.220297
    else:
        if f0 <= 0.366667:  # share of the shorter
            score += -0.0274986
        else:
            score += -0.221361
    if f16 <= 0.5:  # places differ
        if f1 <= 0.211111:  # share of the longer
            if f10 <= 0.275253:  # trigrams of the fewer
                if f30 <= 0.464286:  # headline in the other's lead
                    score += -0.155394
                else:
                    if f27 <= 0.55:  # leads' shared tokens
                        score += 0.158933
                    else:
                        score += 0.0199587
            else:
                score += 0.341567
        else:
            if f1 <= 0.279221:  # share of the longer
                if f15 <= 0.5:  # a place shared
                    if f12 <= 0.5:  # a number shared
                        score += -0.228787
                    else:
                        score += -0.0370931
                else:
                    score += 0.103808
            else:
                if f30 <= 0.0555556:  # headline in the other's lead
                    if f10 <= 0.318665:  # trigrams of the fewer
                        score += 0.13608
                    else:
                        score += 0.00207542
                else:
                    if f26 <= 0.569444:  # leads' share
                        score += -0.187367
                    else:
                        score += 0.176068
    else:
        if f19 <= 0.5:  # each names a person
            if f10 <= 0.292893:  # trigrams of the fewer
                if f1 <= 0.316667:  # share of the longer
                    score += -0.13909
                else:
                    score += 0.129146
            else:
                if f3 <= 0.875:  # specific shared
                    score += -0.241999
                else:
                    score += 0.0067514
        else:
            score += 0.0591824
    if f22 <= 0.5:  # posts differ
        if f10 <= 0.292175:  # trigrams of the fewer
            if f30 <= 0.436508:  # headline in the other's lead
                if f10 <= 0.186773:  # trigrams of the fewer
                    if f10 <= 0.12633:  # trigrams of the fewer
                        score += -0.0709697
                    else:
                        score += -0.23963
                else:
                    if f11 <= 0.104409:  # trigrams of all
                        score += 0.145061
                    else:
                        score += -0.113955
            else:
                if f4 <= 0.166667:  # acts shared
                    score += 0.185871
                else:
                    score += -0.0472428
        else:
            if f10 <= 0.318665:  # trigrams of the fewer
                if f11 <= 0.169746:  # trigrams of all
                    if f8 <= 0.25:  # acts apart
                        score += 0.153231
                    else:
                        score += 0.607199
                else:
                    score += 0.0046317
            else:
                if f10 <= 0.401754:  # trigrams of the fewer
                    if f10 <= 0.387426:  # trigrams of the fewer
                        score += -0.0551843
                    else:
                        score += -0.278557
                else:
                    if f10 <= 0.421637:  # trigrams of the fewer
                        score += 0.29319
                    else:
                        score += 0.00229448
    else:
        score += -0.212079
    if f18 <= 0.5:  # persons differ
        if f23 <= 0.5:  # opposite acts
            if f22 <= 0.5:  # posts differ
                if f10 <= 0.186773:  # trigrams of the fewer
                    if f27 <= 0.45:  # leads' shared tokens
                        score += -0.181786
                    else:
                        score += 0.159531
                else:
                    if f10 <= 0.192928:  # trigrams of the fewer
                        score += 0.232245
                    else:
                        score += 0.0135415
            else:
                score += -0.193152
        else:
            if f4 <= 0.166667:  # acts shared
                score += -0.0284179
            else:
                score += -0.20621
    else:
        if f11 <= 0.154701:  # trigrams of all
            score += -0.0402618
        else:
            score += -0.201041
    if f11 <= 0.447565:  # trigrams of all
        if f2 <= 0.75:  # shared tokens
            if f30 <= 0.763889:  # headline in the other's lead
                if f13 <= 0.5:  # a number on one side only
                    if f11 <= 0.347382:  # trigrams of all
                        score += 0.0225711
                    else:
                        score += -0.131304
                else:
                    if f5 <= 0.65:  # tokens apart
                        score += 0.161902
                    else:
                        score += -0.116395
            else:
                score += 0.199644
        else:
            if f1 <= 0.645833:  # share of the longer
                if f11 <= 0.411362:  # trigrams of all
                    if f8 <= 0.25:  # acts apart
                        score += 0.188847
                    else:
                        score += 0.0287852
                else:
                    score += -0.0559946
            else:
                score += 0.229987
    else:
        if f1 <= 0.763889:  # share of the longer
            if f1 <= 0.6125:  # share of the longer
                if f1 <= 0.585714:  # share of the longer
                    score += -0.0897797
                else:
                    score += 0.144982
            else:
                if f10 <= 0.870266:  # trigrams of the fewer
                    if f4 <= 0.166667:  # acts shared
                        score += -0.0385553
                    else:
                        score += -0.260368
                else:
                    if f9 <= 0.55:  # shorter length
                        score += -0.0383899
                    else:
                        score += 0.0717486
        else:
            if f11 <= 0.632863:  # trigrams of all
                if f10 <= 0.739936:  # trigrams of the fewer
                    score += 0.0733603
                else:
                    score += 0.210366
            else:
                if f0 <= 0.881944:  # share of the shorter
                    score += -0.231972
                else:
                    if f3 <= 0.875:  # specific shared
                        score += 0.140313
                    else:
                        score += -0.0616918
    if f18 <= 0.5:  # persons differ
        if f20 <= 0.5:  # organisations differ
            if f3 <= 0.125:  # specific shared
                if f1 <= 0.309524:  # share of the longer
                    if f10 <= 0.258343:  # trigrams of the fewer
                        score += -0.100771
                    else:
                        score += 0.245661
                else:
                    if f5 <= 0.55:  # tokens apart
                        score += 0.0139365
                    else:
                        score += -0.276803
            else:
                if f8 <= 0.75:  # acts apart
                    if f23 <= 0.5:  # opposite acts
                        score += 0.0418189
                    else:
                        score += -0.203559
                else:
                    if f0 <= 0.414286:  # share of the shorter
                        score += -0.179716
                    else:
                        score += 0.0270672
        else:
            if f15 <= 0.5:  # a place shared
                if f11 <= 0.154243:  # trigrams of all
                    score += -0.00469798
                else:
                    if f11 <= 0.248596:  # trigrams of all
                        score += -0.222249
                    else:
                        score += -0.0559224
            else:
                if f5 <= 0.45:  # tokens apart
                    score += -0.0946417
                else:
                    score += 0.190565
    else:
        if f11 <= 0.159121:  # trigrams of all
            score += -0.0445352
        else:
            score += -0.181587
    return score


def learnt_bound(features: Sequence[float]) -> float:
    """At least learnt_score of any pair whose news.stories.CHEAP_FEATURES are these
    (news.stories.cheap_features): each tree's highest leaf that they leave within reach, added
    in the same order (so never less, rounding included)."""
    (
        f0, f1, f2, f5, f6, f9, f10, f11, f12, f13, f25, f26,
        f27, f30, f31,
    ) = features
    bound = BASE
    if f11 <= 0.646446:  # trigrams of all
        if f6 <= 0.833333:  # fewest apart
            bound += 1.54631
        else:
            if f26 <= 0.226496:  # leads' share
                if f0 <= 0.563492:  # share of the shorter
                    if f31 <= 0.5:  # french
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 0.42377
                                else:
                                    bound += 1.32527
                            else:
                                if f11 <= 0.632863:  # trigrams of all
                                    bound += 0.168102
                                else:
                                    bound += 0.0605928
                        else:
                            bound += 0.0605928
                    else:
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 0.42377
                                else:
                                    bound += 1.32527
                            else:
                                bound += 0.268631
                        else:
                            bound += 0.268631
                else:
                    if f10 <= 0.681335:  # trigrams of the fewer
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 0.42377
                                else:
                                    bound += 1.32527
                            else:
                                bound += 0.331401
                        else:
                            bound += 0.331401
                    else:
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 0.42377
                                else:
                                    bound += 1.32527
                            else:
                                if f11 <= 0.632863:  # trigrams of all
                                    bound += 0.168102
                                else:
                                    bound += 0.0605928
                        else:
                            bound += 0.0605928
            else:
                if f10 <= 0.691071:  # trigrams of the fewer
                    if f30 <= 0.414286:  # headline in the other's lead
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 0.42377
                                else:
                                    bound += 1.32527
                            else:
                                if f11 <= 0.632863:  # trigrams of all
                                    bound += 0.168102
                                else:
                                    bound += 0.0605928
                        else:
                            if f26 <= 0.354167:  # leads' share
                                bound += 0.0605928
                            else:
                                bound += 1.30159
                    else:
                        if f5 <= 0.95:  # tokens apart
                            if f11 <= 0.514955:  # trigrams of all
                                if f2 <= 0.416667:  # shared tokens
                                    bound += 1.28996
                                else:
                                    bound += 1.32527
                            else:
                                bound += 1.28996
                        else:
                            if f26 <= 0.354167:  # leads' share
                                bound += 1.28996
                            else:
                                bound += 1.30159
                else:
                    if f5 <= 0.95:  # tokens apart
                        if f11 <= 0.514955:  # trigrams of all
                            if f2 <= 0.416667:  # shared tokens
                                bound += 0.42377
                            else:
                                bound += 1.32527
                        else:
                            if f11 <= 0.632863:  # trigrams of all
                                bound += 0.168102
                            else:
                                bound += 0.0605928
                    else:
                        if f26 <= 0.354167:  # leads' share
                            bound += 0.0605928
                        else:
                            bound += 1.30159
    else:
        if f0 <= 0.95:  # share of the shorter
            if f26 <= 0.226496:  # leads' share
                if f0 <= 0.563492:  # share of the shorter
                    if f31 <= 0.5:  # french
                        if f5 <= 0.95:  # tokens apart
                            bound += -0.290127
                        else:
                            if f13 <= 0.5:  # a number on one side only
                                bound += -0.0155859
                            else:
                                bound += -0.306585
                    else:
                        bound += 0.268631
                else:
                    if f10 <= 0.681335:  # trigrams of the fewer
                        bound += 0.331401
                    else:
                        if f5 <= 0.95:  # tokens apart
                            bound += -0.287515
                        else:
                            if f13 <= 0.5:  # a number on one side only
                                bound += -0.0155859
                            else:
                                bound += -0.287515
            else:
                if f10 <= 0.691071:  # trigrams of the fewer
                    if f30 <= 0.414286:  # headline in the other's lead
                        if f5 <= 0.95:  # tokens apart
                            bound += -0.0316917
                        else:
                            if f26 <= 0.354167:  # leads' share
                                if f13 <= 0.5:  # a number on one side only
                                    bound += -0.0155859
                                else:
                                    bound += -0.0316917
                            else:
                                bound += 1.30159
                    else:
                        if f5 <= 0.95:  # tokens apart
                            bound += 1.28996
                        else:
                            if f26 <= 0.354167:  # leads' share
                                bound += 1.28996
                            else:
                                bound += 1.30159
                else:
                    if f5 <= 0.95:  # tokens apart
                        bound += -0.225415
                    else:
                        if f26 <= 0.354167:  # leads' share
                            if f13 <= 0.5:  # a number on one side only
                                bound += -0.0155859
                            else:
                                bound += -0.225415
                        else:
                            bound += 1.30159
        else:
            if f11 <= 0.809515:  # trigrams of all
                if f26 <= 0.226496:  # leads' share
                    bound += 1.20947
                else:
                    if f10 <= 0.691071:  # trigrams of the fewer
                        if f30 <= 0.414286:  # headline in the other's lead
                            if f5 <= 0.95:  # tokens apart
                                bound += 1.20947
                            else:
                                if f26 <= 0.354167:  # leads' share
                                    bound += 1.20947
                                else:
                                    bound += 1.30159
                        else:
                            if f5 <= 0.95:  # tokens apart
                                bound += 1.28996
                            else:
                                if f26 <= 0.354167:  # leads' share
                                    bound += 1.28996
                                else:
                                    bound += 1.30159
                    else:
                        if f5 <= 0.95:  # tokens apart
                            bound += 1.20947
                        else:
                            if f26 <= 0.354167:  # leads' share
                                bound += 1.20947
                            else:
                                bound += 1.30159
            else:
                if f26 <= 0.226496:  # leads' share
                    if f10 <= 0.681335:  # trigrams of the fewer
                        bound += 0.331401
                    else:
                        bound += 0.29175
                else:
                    if f10 <= 0.691071:  # trigrams of the fewer
                        if f30 <= 0.414286:  # headline in the other's lead
                            if f5 <= 0.95:  # tokens apart
                                bound += 0.29175
                            else:
                                if f26 <= 0.354167:  # leads' share
                                    bound += 0.29175
                                else:
                                    bound += 1.30159
                        else:
                            if f5 <= 0.95:  # tokens apart
                                bound += 1.28996
                            else:
                                if f26 <= 0.354167:  # leads' share
                                    bound += 1.28996
                                else:
                                    bound += 1.30159
                    else:
                        if f5 <= 0.95:  # tokens apart
                            bound += 0.29175
                        else:
                            if f26 <= 0.354167:  # leads' share
                                bound += 0.29175
                            else:
                                bound += 1.30159
    if f1 <= 0.414286:  # share of the longer
        if f26 <= 0.226496:  # leads' share
            if f31 <= 0.5:  # french
                if f6 <= 0.5:  # fewest apart
                    bound += 0.331894
                else:
                    if f2 <= 0.416667:  # shared tokens
                        bound += -0.312026
                    else:
                        bound += -0.18749
            else:
                if f13 <= 0.5:  # a number on one side only
                    bound += 0.937802
                else:
                    bound += -0.125723
        else:
            if f30 <= 0.414286:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    bound += 0.153606
                else:
                    bound += -0.27164
            else:
                if f5 <= 0.55:  # tokens apart
                    bound += 0.357587
                else:
                    bound += 0.779688
    else:
        bound += 0.60943
    if f5 <= 0.75:  # tokens apart
        bound += 0.405088
    else:
        if f26 <= 0.148352:  # leads' share
            if f13 <= 0.5:  # a number on one side only
                if f0 <= 0.3875:  # share of the shorter
                    bound += 0.263726
                else:
                    bound += 0.460454
            else:
                bound += 0.263726
        else:
            if f30 <= 0.436508:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    bound += 0.183108
                else:
                    bound += -0.2368
            else:
                bound += 0.540904
    if f2 <= 0.416667:  # shared tokens
        if f26 <= 0.226496:  # leads' share
            if f31 <= 0.5:  # french
                if f6 <= 0.5:  # fewest apart
                    if f11 <= 0.478571:  # trigrams of all
                        bound += 0.238332
                    else:
                        bound += -0.133238
                else:
                    bound += -0.212266
            else:
                if f11 <= 0.256854:  # trigrams of all
                    bound += 0.446586
                else:
                    bound += 0.0565108
        else:
            if f30 <= 0.436508:  # headline in the other's lead
                bound += 0.314871
            else:
                if f1 <= 0.45:  # share of the longer
                    bound += 0.41265
                else:
                    bound += -0.167095
    else:
        if f11 <= 0.591751:  # trigrams of all
            if f6 <= 0.833333:  # fewest apart
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        bound += 0.403852
                    else:
                        bound += 0.421071
                else:
                    bound += 0.403852
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        bound += 0.15761
                    else:
                        bound += 0.421071
                else:
                    bound += 0.15761
        else:
            if f0 <= 0.95:  # share of the shorter
                bound += -0.0219667
            else:
                bound += 0.30012
    if f2 <= 0.416667:  # shared tokens
        if f26 <= 0.449495:  # leads' share
            if f31 <= 0.5:  # french
                if f30 <= 0.436508:  # headline in the other's lead
                    bound += -0.130794
                else:
                    bound += 0.293231
            else:
                bound += 0.375046
        else:
            if f11 <= 0.206383:  # trigrams of all
                bound += 0.362716
            else:
                bound += 0.00635925
    else:
        if f11 <= 0.40322:  # trigrams of all
            if f30 <= 0.208333:  # headline in the other's lead
                bound += 0.33151
            else:
                bound += 0.25808
        else:
            bound += 0.25808
    if f0 <= 0.585714:  # share of the shorter
        if f26 <= 0.148352:  # leads' share
            if f12 <= 0.5:  # a number shared
                bound += 0.38155
            else:
                if f1 <= 0.309524:  # share of the longer
                    bound += -0.0414559
                else:
                    bound += 0.46231
        else:
            if f30 <= 0.436508:  # headline in the other's lead
                if f1 <= 0.154762:  # share of the longer
                    bound += 0.273168
                else:
                    bound += -0.245763
            else:
                if f5 <= 0.55:  # tokens apart
                    bound += 0.0637053
                else:
                    bound += 0.37763
    else:
        if f11 <= 0.486477:  # trigrams of all
            bound += 0.329905
        else:
            if f6 <= 0.166667:  # fewest apart
                if f10 <= 0.912779:  # trigrams of the fewer
                    bound += 0.293584
                else:
                    bound += 0.049918
            else:
                if f11 <= 0.637331:  # trigrams of all
                    if f6 <= 0.5:  # fewest apart
                        bound += 0.0305447
                    else:
                        bound += -0.335585
                else:
                    if f0 <= 0.95:  # share of the shorter
                        bound += -0.33586
                    else:
                        bound += -0.0841219
    if f5 <= 0.95:  # tokens apart
        if f30 <= 0.0555556:  # headline in the other's lead
            if f11 <= 0.40322:  # trigrams of all
                if f1 <= 0.3875:  # share of the longer
                    bound += 0.182771
                else:
                    bound += 0.306615
            else:
                bound += 0.182771
        else:
            if f26 <= 0.449495:  # leads' share
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        if f30 <= 0.732143:  # headline in the other's lead
                            if f11 <= 0.197561:  # trigrams of all
                                bound += -0.0507887
                            else:
                                bound += 0.0748571
                        else:
                            bound += 0.00353526
                    else:
                        bound += 0.306615
                else:
                    if f30 <= 0.732143:  # headline in the other's lead
                        bound += 0.0748571
                    else:
                        bound += 0.00353526
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        bound += 0.210494
                    else:
                        bound += 0.306615
                else:
                    bound += 0.210494
    else:
        if f26 <= 0.162338:  # leads' share
            if f12 <= 0.5:  # a number shared
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        if f30 <= 0.732143:  # headline in the other's lead
                            if f11 <= 0.197561:  # trigrams of all
                                bound += -0.0507887
                            else:
                                bound += 0.0748571
                        else:
                            bound += 0.00353526
                    else:
                        bound += 0.306615
                else:
                    if f30 <= 0.732143:  # headline in the other's lead
                        bound += 0.0748571
                    else:
                        bound += 0.00353526
            else:
                if f11 <= 0.40322:  # trigrams of all
                    if f1 <= 0.3875:  # share of the longer
                        bound += 0.194198
                    else:
                        bound += 0.306615
                else:
                    bound += 0.194198
        else:
            if f11 <= 0.40322:  # trigrams of all
                if f1 <= 0.3875:  # share of the longer
                    bound += 0.256072
                else:
                    bound += 0.306615
            else:
                bound += 0.256072
    if f12 <= 0.5:  # a number shared
        if f0 <= 0.95:  # share of the shorter
            if f11 <= 0.415881:  # trigrams of all
                if f1 <= 0.522727:  # share of the longer
                    if f27 <= 0.45:  # leads' shared tokens
                        if f11 <= 0.197561:  # trigrams of all
                            bound += -0.069448
                        else:
                            bound += 0.06553
                    else:
                        bound += -0.00305163
                else:
                    bound += 0.261355
            else:
                if f31 <= 0.5:  # french
                    if f27 <= 0.45:  # leads' shared tokens
                        bound += 0.06553
                    else:
                        bound += -0.00305163
                else:
                    if f27 <= 0.45:  # leads' shared tokens
                        bound += 0.06553
                    else:
                        bound += -0.00189641
        else:
            if f25 <= 0.5:  # both have a lead
                if f11 <= 0.76902:  # trigrams of all
                    bound += 0.315812
                else:
                    if f27 <= 0.45:  # leads' shared tokens
                        bound += 0.06553
                    else:
                        bound += -0.00305163
            else:
                if f27 <= 0.45:  # leads' shared tokens
                    if f11 <= 0.197561:  # trigrams of all
                        bound += -0.0933633
                    else:
                        bound += 0.06553
                else:
                    bound += -0.00305163
    else:
        if f10 <= 0.826505:  # trigrams of the fewer
            if f1 <= 0.309524:  # share of the longer
                if f0 <= 0.309524:  # share of the shorter
                    bound += 0.0719212
                else:
                    if f27 <= 0.45:  # leads' shared tokens
                        if f11 <= 0.197561:  # trigrams of all
                            bound += -0.0933633
                        else:
                            bound += 0.06553
                    else:
                        bound += -0.00305163
            else:
                if f11 <= 0.61221:  # trigrams of all
                    bound += 0.35459
                else:
                    bound += 0.0855877
        else:
            if f5 <= 0.15:  # tokens apart
                if f11 <= 0.725822:  # trigrams of all
                    bound += 0.178575
                else:
                    if f27 <= 0.45:  # leads' shared tokens
                        bound += 0.06553
                    else:
                        bound += -0.00305163
            else:
                if f27 <= 0.45:  # leads' shared tokens
                    if f11 <= 0.197561:  # trigrams of all
                        bound += -0.0933633
                    else:
                        bound += 0.06553
                else:
                    bound += -0.00305163
    if f13 <= 0.5:  # a number on one side only
        if f11 <= 0.591751:  # trigrams of all
            if f11 <= 0.365596:  # trigrams of all
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        bound += 0.307663
                    else:
                        bound += 0.193481
                else:
                    bound += 0.193481
            else:
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        bound += 0.307663
                    else:
                        bound += 0.193481
                else:
                    bound += 0.193481
        else:
            if f0 <= 0.95:  # share of the shorter
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        bound += 0.307663
                    else:
                        if f27 <= 0.45:  # leads' shared tokens
                            bound += 0.0677583
                        else:
                            bound += 0.00216873
                else:
                    if f27 <= 0.45:  # leads' shared tokens
                        bound += 0.0677583
                    else:
                        bound += -0.00253474
            else:
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        bound += 0.307663
                    else:
                        bound += 0.0810263
                else:
                    bound += 0.0810263
    else:
        if f30 <= 0.464286:  # headline in the other's lead
            if f11 <= 0.388354:  # trigrams of all
                if f11 <= 0.365596:  # trigrams of all
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            if f27 <= 0.45:  # leads' shared tokens
                                bound += 0.0677583
                            else:
                                bound += 0.0673175
                    else:
                        if f27 <= 0.45:  # leads' shared tokens
                            bound += 0.0677583
                        else:
                            bound += 0.0673175
                else:
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            if f27 <= 0.45:  # leads' shared tokens
                                bound += 0.0677583
                            else:
                                bound += 0.00216873
                    else:
                        if f27 <= 0.45:  # leads' shared tokens
                            bound += 0.0677583
                        else:
                            bound += -0.00253474
            else:
                if f1 <= 0.732143:  # share of the longer
                    if f10 <= 0.609649:  # trigrams of the fewer
                        bound += 0.307663
                    else:
                        bound += 0.291228
                else:
                    bound += 0.291228
        else:
            if f30 <= 0.775:  # headline in the other's lead
                if f11 <= 0.365596:  # trigrams of all
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            if f27 <= 0.45:  # leads' shared tokens
                                bound += 0.0677583
                            else:
                                bound += 0.0673175
                    else:
                        if f27 <= 0.45:  # leads' shared tokens
                            bound += 0.0677583
                        else:
                            bound += 0.0673175
                else:
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            if f27 <= 0.45:  # leads' shared tokens
                                bound += 0.0677583
                            else:
                                bound += 0.0538863
                    else:
                        if f27 <= 0.45:  # leads' shared tokens
                            bound += 0.0677583
                        else:
                            bound += 0.0538863
            else:
                if f11 <= 0.365596:  # trigrams of all
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            bound += 0.255557
                    else:
                        bound += 0.255557
                else:
                    if f1 <= 0.732143:  # share of the longer
                        if f10 <= 0.609649:  # trigrams of the fewer
                            bound += 0.307663
                        else:
                            bound += 0.255557
                    else:
                        bound += 0.255557
    if f11 <= 0.632691:  # trigrams of all
        if f6 <= 0.5:  # fewest apart
            bound += 0.254598
        else:
            if f11 <= 0.412562:  # trigrams of all
                bound += 0.2367
            else:
                if f11 <= 0.415881:  # trigrams of all
                    if f13 <= 0.5:  # a number on one side only
                        bound += 0.200823
                    else:
                        bound += 0.118677
                else:
                    bound += 0.118677
    else:
        if f6 <= 0.166667:  # fewest apart
            if f11 <= 0.711982:  # trigrams of all
                bound += 0.118677
            else:
                bound += 0.105327
        else:
            if f11 <= 0.711982:  # trigrams of all
                bound += 0.118677
            else:
                bound += 0.0982223
    if f12 <= 0.5:  # a number shared
        bound += 0.324335
    else:
        if f10 <= 0.820202:  # trigrams of the fewer
            if f1 <= 0.316667:  # share of the longer
                if f10 <= 0.230658:  # trigrams of the fewer
                    bound += -0.219485
                else:
                    if f10 <= 0.278424:  # trigrams of the fewer
                        bound += 0.288687
                    else:
                        bound += -0.179237
            else:
                if f11 <= 0.485609:  # trigrams of all
                    bound += 0.32034
                else:
                    if f0 <= 0.816667:  # share of the shorter
                        bound += -0.11048
                    else:
                        bound += 0.194248
        else:
            if f5 <= 0.15:  # tokens apart
                if f11 <= 0.736232:  # trigrams of all
                    bound += 0.0660335
                else:
                    bound += -0.0552984
            else:
                if f10 <= 0.885042:  # trigrams of the fewer
                    bound += -0.347125
                else:
                    bound += -0.114638
    if f5 <= 0.95:  # tokens apart
        if f11 <= 0.412132:  # trigrams of all
            if f26 <= 0.449495:  # leads' share
                if f11 <= 0.0924444:  # trigrams of all
                    if f30 <= 0.0555556:  # headline in the other's lead
                        bound += 0.282941
                    else:
                        if f26 <= 0.387701:  # leads' share
                            bound += -0.23445
                        else:
                            bound += 0.166326
                else:
                    if f30 <= 0.0555556:  # headline in the other's lead
                        bound += 0.282941
                    else:
                        if f26 <= 0.387701:  # leads' share
                            bound += 0.0281032
                        else:
                            bound += 0.166326
            else:
                bound += 0.286162
        else:
            if f0 <= 0.866071:  # share of the shorter
                if f12 <= 0.5:  # a number shared
                    if f5 <= 0.35:  # tokens apart
                        bound += -0.111601
                    else:
                        bound += -0.319312
                else:
                    if f11 <= 0.635789:  # trigrams of all
                        bound += 0.0974394
                    else:
                        bound += -0.244763
            else:
                if f25 <= 0.5:  # both have a lead
                    if f11 <= 0.765165:  # trigrams of all
                        bound += 0.222834
                    else:
                        bound += -0.123591
                else:
                    bound += -0.392548
    else:
        if f26 <= 0.162338:  # leads' share
            if f0 <= 0.3875:  # share of the shorter
                if f12 <= 0.5:  # a number shared
                    if f1 <= 0.279221:  # share of the longer
                        bound += -0.176194
                    else:
                        bound += 0.048677
                else:
                    if f1 <= 0.279221:  # share of the longer
                        bound += -0.0786313
                    else:
                        bound += 0.048677
            else:
                if f2 <= 0.583333:  # shared tokens
                    if f1 <= 0.316667:  # share of the longer
                        bound += -0.0616004
                    else:
                        bound += 0.247035
                else:
                    bound += -0.187995
        else:
            bound += 0.273984
    if f30 <= 0.0555556:  # headline in the other's lead
        if f11 <= 0.112255:  # trigrams of all
            if f10 <= 0.58477:  # trigrams of the fewer
                if f1 <= 0.3875:  # share of the longer
                    bound += 0.211734
                else:
                    bound += 0.271357
            else:
                bound += 0.211734
        else:
            if f11 <= 0.395644:  # trigrams of all
                if f10 <= 0.58477:  # trigrams of the fewer
                    if f1 <= 0.3875:  # share of the longer
                        bound += 0.211734
                    else:
                        if f11 <= 0.295625:  # trigrams of all
                            bound += 0.271357
                        else:
                            bound += 0.211734
                else:
                    bound += 0.211734
            else:
                bound += 0.211734
    else:
        if f1 <= 0.211111:  # share of the longer
            if f25 <= 0.5:  # both have a lead
                if f27 <= 0.45:  # leads' shared tokens
                    if f10 <= 0.18809:  # trigrams of the fewer
                        if f9 <= 0.65:  # shorter length
                            bound += -0.0470044
                        else:
                            bound += 0.126049
                    else:
                        if f9 <= 0.65:  # shorter length
                            if f11 <= 0.112255:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    bound += -0.0492377
                                else:
                                    bound += -0.0409883
                            else:
                                if f11 <= 0.395644:  # trigrams of all
                                    if f10 <= 0.58477:  # trigrams of the fewer
                                        bound += -0.0510736
                                    else:
                                        bound += -0.0409883
                                else:
                                    if f10 <= 0.58477:  # trigrams of the fewer
                                        bound += -0.0510736
                                    else:
                                        bound += -0.0409883
                        else:
                            bound += 0.126049
                else:
                    bound += 0.0270074
            else:
                bound += 0.222477
        else:
            if f26 <= 0.519231:  # leads' share
                if f27 <= 0.45:  # leads' shared tokens
                    if f10 <= 0.18809:  # trigrams of the fewer
                        if f9 <= 0.65:  # shorter length
                            if f11 <= 0.112255:  # trigrams of all
                                if f1 <= 0.3875:  # share of the longer
                                    bound += -0.0470044
                                else:
                                    bound += 0.271357
                            else:
                                if f11 <= 0.395644:  # trigrams of all
                                    if f1 <= 0.3875:  # share of the longer
                                        bound += -0.0470044
                                    else:
                                        if f11 <= 0.295625:  # trigrams of all
                                            bound += 0.271357
                                        else:
                                            bound += 0.00436974
                                else:
                                    if f1 <= 0.3875:  # share of the longer
                                        bound += -0.0470044
                                    else:
                                        bound += 0.00436974
                        else:
                            if f11 <= 0.112255:  # trigrams of all
                                if f1 <= 0.3875:  # share of the longer
                                    bound += 0.126049
                                else:
                                    bound += 0.271357
                            else:
                                if f11 <= 0.395644:  # trigrams of all
                                    if f1 <= 0.3875:  # share of the longer
                                        bound += 0.126049
                                    else:
                                        if f11 <= 0.295625:  # trigrams of all
                                            bound += 0.271357
                                        else:
                                            bound += 0.126049
                                else:
                                    bound += 0.126049
                    else:
                        if f9 <= 0.65:  # shorter length
                            if f11 <= 0.112255:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f1 <= 0.3875:  # share of the longer
                                        bound += -0.0492377
                                    else:
                                        bound += 0.271357
                                else:
                                    bound += -0.0409883
                            else:
                                if f11 <= 0.395644:  # trigrams of all
                                    if f10 <= 0.58477:  # trigrams of the fewer
                                        if f1 <= 0.3875:  # share of the longer
                                            bound += -0.0510736
                                        else:
                                            if f11 <= 0.295625:  # trigrams of all
                                                bound += 0.271357
                                            else:
                                                bound += 0.00436974
                                    else:
                                        bound += -0.0409883
                                else:
                                    if f10 <= 0.58477:  # trigrams of the fewer
                                        if f1 <= 0.3875:  # share of the longer
                                            bound += -0.0510736
                                        else:
                                            bound += 0.00436974
                                    else:
                                        bound += -0.0409883
                        else:
                            if f11 <= 0.112255:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f1 <= 0.3875:  # share of the longer
                                        bound += 0.126049
                                    else:
                                        bound += 0.271357
                                else:
                                    bound += 0.126049
                            else:
                                if f11 <= 0.395644:  # trigrams of all
                                    if f10 <= 0.58477:  # trigrams of the fewer
                                        if f1 <= 0.3875:  # share of the longer
                                            bound += 0.126049
                                        else:
                                            if f11 <= 0.295625:  # trigrams of all
                                                bound += 0.271357
                                            else:
                                                bound += 0.126049
                                    else:
                                        bound += 0.126049
                                else:
                                    bound += 0.126049
                else:
                    if f11 <= 0.112255:  # trigrams of all
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f1 <= 0.3875:  # share of the longer
                                bound += 0.0270074
                            else:
                                bound += 0.271357
                        else:
                            bound += 0.0270074
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f1 <= 0.3875:  # share of the longer
                                    bound += 0.0270074
                                else:
                                    if f11 <= 0.295625:  # trigrams of all
                                        bound += 0.271357
                                    else:
                                        bound += 0.0270074
                            else:
                                bound += 0.0270074
                        else:
                            bound += 0.0270074
            else:
                if f11 <= 0.112255:  # trigrams of all
                    if f10 <= 0.58477:  # trigrams of the fewer
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.162593
                        else:
                            bound += 0.271357
                    else:
                        bound += 0.162593
                else:
                    if f11 <= 0.395644:  # trigrams of all
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f1 <= 0.3875:  # share of the longer
                                bound += 0.162593
                            else:
                                if f11 <= 0.295625:  # trigrams of all
                                    bound += 0.271357
                                else:
                                    bound += 0.162593
                        else:
                            bound += 0.162593
                    else:
                        bound += 0.162593
    if f9 <= 0.65:  # shorter length
        if f10 <= 0.186773:  # trigrams of the fewer
            if f1 <= 0.354167:  # share of the longer
                if f11 <= 0.154243:  # trigrams of all
                    if f5 <= 0.95:  # tokens apart
                        bound += 0.0525494
                    else:
                        bound += -0.0323204
                else:
                    if f11 <= 0.395644:  # trigrams of all
                        if f30 <= 0.208333:  # headline in the other's lead
                            if f11 <= 0.235:  # trigrams of all
                                bound += -0.0323204
                            else:
                                bound += 0.300528
                        else:
                            bound += -0.0323204
                    else:
                        if f30 <= 0.208333:  # headline in the other's lead
                            bound += 0.300528
                        else:
                            bound += -0.0323204
            else:
                if f5 <= 0.65:  # tokens apart
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.0525494
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f30 <= 0.208333:  # headline in the other's lead
                                if f11 <= 0.235:  # trigrams of all
                                    bound += -0.0729212
                                else:
                                    bound += 0.300528
                            else:
                                bound += -0.0594322
                        else:
                            if f30 <= 0.208333:  # headline in the other's lead
                                bound += 0.300528
                            else:
                                bound += -0.0594322
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.251538
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f30 <= 0.208333:  # headline in the other's lead
                                if f11 <= 0.235:  # trigrams of all
                                    bound += 0.251538
                                else:
                                    bound += 0.300528
                            else:
                                bound += 0.251538
                        else:
                            if f30 <= 0.208333:  # headline in the other's lead
                                bound += 0.300528
                            else:
                                bound += 0.251538
        else:
            if f1 <= 0.354167:  # share of the longer
                if f11 <= 0.154243:  # trigrams of all
                    bound += 0.0988469
                else:
                    if f11 <= 0.395644:  # trigrams of all
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f30 <= 0.208333:  # headline in the other's lead
                                if f11 <= 0.235:  # trigrams of all
                                    bound += 0.0988469
                                else:
                                    bound += 0.300528
                            else:
                                bound += 0.0988469
                        else:
                            bound += 0.0988469
                    else:
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f30 <= 0.208333:  # headline in the other's lead
                                bound += 0.300528
                            else:
                                bound += 0.0988469
                        else:
                            bound += 0.0988469
            else:
                if f5 <= 0.65:  # tokens apart
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.0988469
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += 0.0988469
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += 0.0988469
                            else:
                                bound += 0.0988469
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += 0.0988469
                            else:
                                bound += 0.0988469
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.251538
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += 0.251538
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += 0.251538
                            else:
                                bound += 0.251538
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += 0.251538
                            else:
                                bound += 0.251538
    else:
        if f0 <= 0.354167:  # share of the shorter
            if f12 <= 0.5:  # a number shared
                if f1 <= 0.354167:  # share of the longer
                    if f11 <= 0.154243:  # trigrams of all
                        if f5 <= 0.95:  # tokens apart
                            bound += 0.0525494
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += -0.0323204
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                else:
                    if f5 <= 0.65:  # tokens apart
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.0525494
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += -0.0729212
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += -0.0594322
                                else:
                                    if f2 <= 0.916667:  # shared tokens
                                        bound += -0.207002
                                    else:
                                        bound += -0.0299263
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += -0.0594322
                                else:
                                    if f2 <= 0.916667:  # shared tokens
                                        bound += -0.0811311
                                    else:
                                        bound += -0.0299263
                    else:
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.251538
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.251538
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
            else:
                if f1 <= 0.354167:  # share of the longer
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.0705782
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += 0.0705782
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += 0.0705782
                            else:
                                bound += 0.0705782
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += 0.0705782
                            else:
                                bound += 0.0705782
                else:
                    if f5 <= 0.65:  # tokens apart
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.0705782
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.0705782
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.0705782
                                else:
                                    bound += 0.0705782
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.0705782
                                else:
                                    bound += 0.0705782
                    else:
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.251538
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.251538
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
        else:
            if f2 <= 0.583333:  # shared tokens
                if f1 <= 0.354167:  # share of the longer
                    if f11 <= 0.154243:  # trigrams of all
                        bound += 0.212537
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += 0.212537
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += 0.212537
                            else:
                                bound += 0.212537
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += 0.212537
                            else:
                                bound += 0.212537
                else:
                    if f5 <= 0.65:  # tokens apart
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.212537
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.212537
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.212537
                                else:
                                    bound += 0.212537
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.212537
                                else:
                                    bound += 0.212537
                    else:
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.251538
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.251538
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
            else:
                if f1 <= 0.354167:  # share of the longer
                    if f11 <= 0.154243:  # trigrams of all
                        if f5 <= 0.95:  # tokens apart
                            bound += 0.0525494
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                    else:
                        if f11 <= 0.395644:  # trigrams of all
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    if f11 <= 0.235:  # trigrams of all
                                        bound += -0.0323204
                                    else:
                                        bound += 0.300528
                                else:
                                    bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f30 <= 0.208333:  # headline in the other's lead
                                    bound += 0.300528
                                else:
                                    bound += -0.0323204
                            else:
                                if f2 <= 0.916667:  # shared tokens
                                    bound += -0.0323204
                                else:
                                    bound += -0.0299263
                else:
                    if f5 <= 0.65:  # tokens apart
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.0525494
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += -0.0729212
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += -0.0594322
                                else:
                                    if f2 <= 0.916667:  # shared tokens
                                        bound += -0.0920314
                                    else:
                                        bound += -0.0299263
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += -0.0594322
                                else:
                                    if f2 <= 0.916667:  # shared tokens
                                        bound += -0.0811311
                                    else:
                                        bound += -0.0299263
                    else:
                        if f11 <= 0.154243:  # trigrams of all
                            bound += 0.251538
                        else:
                            if f11 <= 0.395644:  # trigrams of all
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        if f11 <= 0.235:  # trigrams of all
                                            bound += 0.251538
                                        else:
                                            bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
                            else:
                                if f10 <= 0.58477:  # trigrams of the fewer
                                    if f30 <= 0.208333:  # headline in the other's lead
                                        bound += 0.300528
                                    else:
                                        bound += 0.251538
                                else:
                                    bound += 0.251538
    if f10 <= 0.838274:  # trigrams of the fewer
        if f6 <= 0.5:  # fewest apart
            bound += 0.196763
        else:
            if f11 <= 0.44446:  # trigrams of all
                if f1 <= 0.279221:  # share of the longer
                    bound += 0.0265663
                else:
                    bound += 0.0634093
            else:
                bound += 0.0265663
    else:
        if f11 <= 0.44446:  # trigrams of all
            if f1 <= 0.279221:  # share of the longer
                bound += 0.0251016
            else:
                bound += 0.0634093
        else:
            bound += 0.0210024
    if f11 <= 0.416126:  # trigrams of all
        if f1 <= 0.522727:  # share of the longer
            if f26 <= 0.269697:  # leads' share
                if f30 <= 0.05:  # headline in the other's lead
                    bound += 0.067749
                else:
                    if f26 <= 0.148352:  # leads' share
                        bound += -0.293757
                    else:
                        bound += 0.0205797
            else:
                if f30 <= 0.414286:  # headline in the other's lead
                    bound += 0.000804826
                else:
                    bound += 0.267351
        else:
            if f30 <= 0.55:  # headline in the other's lead
                if f5 <= 0.25:  # tokens apart
                    bound += 0.0332336
                else:
                    bound += 0.260266
            else:
                bound += -0.0508384
    else:
        if f0 <= 0.866071:  # share of the shorter
            if f5 <= 0.35:  # tokens apart
                if f11 <= 0.632116:  # trigrams of all
                    bound += 0.221588
                else:
                    bound += -0.283561
            else:
                if f11 <= 0.540675:  # trigrams of all
                    if f9 <= 0.85:  # shorter length
                        bound += -0.376203
                    else:
                        bound += 0.0870102
                else:
                    if f11 <= 0.551981:  # trigrams of all
                        bound += 0.264209
                    else:
                        bound += -0.210681
        else:
            if f26 <= 0.1:  # leads' share
                if f11 <= 0.732738:  # trigrams of all
                    if f2 <= 0.916667:  # shared tokens
                        bound += 0.0910053
                    else:
                        bound += 0.255417
                else:
                    if f10 <= 0.949491:  # trigrams of the fewer
                        bound += -0.203911
                    else:
                        bound += 0.169035
            else:
                bound += -0.32211
    if f30 <= 0.05:  # headline in the other's lead
        if f11 <= 0.0920296:  # trigrams of all
            if f9 <= 0.65:  # shorter length
                bound += 0.0565956
            else:
                bound += 0.00058006
        else:
            if f11 <= 0.106525:  # trigrams of all
                bound += 0.358306
            else:
                if f11 <= 0.154243:  # trigrams of all
                    if f9 <= 0.65:  # shorter length
                        bound += 0.0565956
                    else:
                        bound += 0.0323674
                else:
                    if f10 <= 0.602632:  # trigrams of the fewer
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f11 <= 0.245192:  # trigrams of all
                                bound += 0.0323674
                            else:
                                if f10 <= 0.53125:  # trigrams of the fewer
                                    bound += 0.0463329
                                else:
                                    bound += 0.185984
                        else:
                            bound += 0.0323674
                    else:
                        bound += 0.0323674
    else:
        if f26 <= 0.269697:  # leads' share
            if f0 <= 0.225:  # share of the shorter
                if f11 <= 0.140682:  # trigrams of all
                    if f9 <= 0.65:  # shorter length
                        bound += 0.0565956
                    else:
                        bound += 0.00058006
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        if f9 <= 0.65:  # shorter length
                            bound += 0.0565956
                        else:
                            bound += -0.0244695
                    else:
                        if f10 <= 0.602632:  # trigrams of the fewer
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f11 <= 0.245192:  # trigrams of all
                                    bound += -0.0244695
                                else:
                                    if f10 <= 0.53125:  # trigrams of the fewer
                                        bound += 0.0463329
                                    else:
                                        bound += 0.185984
                            else:
                                bound += -0.0244695
                        else:
                            bound += -0.0244695
            else:
                if f11 <= 0.140682:  # trigrams of all
                    if f9 <= 0.65:  # shorter length
                        bound += 0.0565956
                    else:
                        bound += 0.00058006
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        if f9 <= 0.65:  # shorter length
                            bound += 0.0565956
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                bound += -0.0500762
                            else:
                                bound += -0.149053
                    else:
                        if f10 <= 0.602632:  # trigrams of the fewer
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f11 <= 0.245192:  # trigrams of all
                                    bound += -0.0500762
                                else:
                                    if f10 <= 0.53125:  # trigrams of the fewer
                                        bound += 0.0463329
                                    else:
                                        bound += 0.185984
                            else:
                                bound += -0.149053
                        else:
                            bound += -0.0667247
        else:
            if f5 <= 0.55:  # tokens apart
                if f11 <= 0.140682:  # trigrams of all
                    if f9 <= 0.65:  # shorter length
                        bound += 0.0565956
                    else:
                        bound += 0.00058006
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        if f9 <= 0.65:  # shorter length
                            bound += 0.0565956
                        else:
                            if f10 <= 0.58477:  # trigrams of the fewer
                                bound += -0.0500762
                            else:
                                bound += -0.149053
                    else:
                        if f10 <= 0.602632:  # trigrams of the fewer
                            if f10 <= 0.58477:  # trigrams of the fewer
                                if f11 <= 0.245192:  # trigrams of all
                                    bound += -0.0500762
                                else:
                                    if f10 <= 0.53125:  # trigrams of the fewer
                                        bound += 0.0463329
                                    else:
                                        bound += 0.185984
                            else:
                                bound += -0.149053
                        else:
                            bound += -0.0667247
            else:
                if f11 <= 0.154243:  # trigrams of all
                    bound += 0.185207
                else:
                    if f10 <= 0.602632:  # trigrams of the fewer
                        if f10 <= 0.58477:  # trigrams of the fewer
                            if f11 <= 0.245192:  # trigrams of all
                                bound += 0.185207
                            else:
                                if f10 <= 0.53125:  # trigrams of the fewer
                                    bound += 0.185207
                                else:
                                    bound += 0.185984
                        else:
                            bound += 0.185207
                    else:
                        bound += 0.185207
    if f11 <= 0.402518:  # trigrams of all
        if f10 <= 0.401754:  # trigrams of the fewer
            if f1 <= 0.472222:  # share of the longer
                if f11 <= 0.16447:  # trigrams of all
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f0 <= 0.414286:  # share of the shorter
                            if f10 <= 0.230139:  # trigrams of the fewer
                                if f30 <= 0.464286:  # headline in the other's lead
                                    bound += 0.0274509
                                else:
                                    bound += 0.0976069
                            else:
                                if f11 <= 0.126376:  # trigrams of all
                                    bound += 0.316621
                                else:
                                    bound += 0.0274509
                        else:
                            if f1 <= 0.3875:  # share of the longer
                                bound += 0.489663
                            else:
                                bound += 0.150338
                    else:
                        bound += 0.0274509
                else:
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f0 <= 0.414286:  # share of the shorter
                            if f10 <= 0.230139:  # trigrams of the fewer
                                if f30 <= 0.464286:  # headline in the other's lead
                                    bound += -0.239259
                                else:
                                    bound += 0.0976069
                            else:
                                bound += -0.0278563
                        else:
                            if f1 <= 0.3875:  # share of the longer
                                bound += 0.489663
                            else:
                                bound += 0.150338
                    else:
                        if f2 <= 0.583333:  # shared tokens
                            bound += -0.239259
                        else:
                            bound += -0.0840962
            else:
                if f10 <= 0.373547:  # trigrams of the fewer
                    if f0 <= 0.414286:  # share of the shorter
                        if f10 <= 0.230139:  # trigrams of the fewer
                            bound += 0.278178
                        else:
                            if f11 <= 0.126376:  # trigrams of all
                                bound += 0.316621
                            else:
                                bound += 0.278178
                    else:
                        bound += 0.278178
                else:
                    bound += 0.278178
        else:
            if f9 <= 0.45:  # shorter length
                if f10 <= 0.458896:  # trigrams of the fewer
                    bound += 0.0173259
                else:
                    if f10 <= 0.520417:  # trigrams of the fewer
                        bound += 0.193335
                    else:
                        bound += 0.0173259
            else:
                bound += 0.274187
    else:
        if f0 <= 0.690476:  # share of the shorter
            if f11 <= 0.449138:  # trigrams of all
                if f10 <= 0.373547:  # trigrams of the fewer
                    if f0 <= 0.414286:  # share of the shorter
                        if f10 <= 0.230139:  # trigrams of the fewer
                            if f30 <= 0.464286:  # headline in the other's lead
                                bound += -0.295726
                            else:
                                bound += 0.0976069
                        else:
                            bound += -0.0278563
                    else:
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.489663
                        else:
                            bound += 0.150338
                else:
                    if f10 <= 0.458896:  # trigrams of the fewer
                        if f2 <= 0.583333:  # shared tokens
                            bound += -0.293996
                        else:
                            bound += -0.0840962
                    else:
                        if f10 <= 0.520417:  # trigrams of the fewer
                            bound += 0.193335
                        else:
                            if f13 <= 0.5:  # a number on one side only
                                bound += -0.130903
                            else:
                                bound += -0.32646
            else:
                if f1 <= 0.633333:  # share of the longer
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f0 <= 0.414286:  # share of the shorter
                            bound += 0.148705
                        else:
                            if f1 <= 0.3875:  # share of the longer
                                bound += 0.489663
                            else:
                                bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            bound += 0.148705
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                bound += 0.148705
                else:
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f0 <= 0.414286:  # share of the shorter
                            if f10 <= 0.230139:  # trigrams of the fewer
                                if f30 <= 0.464286:  # headline in the other's lead
                                    bound += -0.277266
                                else:
                                    bound += 0.0976069
                            else:
                                bound += -0.0278563
                        else:
                            bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            if f2 <= 0.583333:  # shared tokens
                                bound += -0.277266
                            else:
                                bound += -0.0840962
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                if f13 <= 0.5:  # a number on one side only
                                    bound += -0.130903
                                else:
                                    bound += -0.277266
        else:
            if f11 <= 0.59233:  # trigrams of all
                if f30 <= 0.732143:  # headline in the other's lead
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.489663
                        else:
                            bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            bound += 0.106394
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                bound += 0.106394
                else:
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.489663
                        else:
                            bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            if f2 <= 0.583333:  # shared tokens
                                bound += -0.157301
                            else:
                                bound += -0.0840962
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                if f13 <= 0.5:  # a number on one side only
                                    bound += -0.130903
                                else:
                                    bound += -0.157301
            else:
                if f0 <= 0.866071:  # share of the shorter
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.489663
                        else:
                            bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            if f2 <= 0.583333:  # shared tokens
                                bound += -0.193212
                            else:
                                bound += -0.0840962
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                if f13 <= 0.5:  # a number on one side only
                                    bound += -0.130903
                                else:
                                    bound += -0.193212
                else:
                    if f10 <= 0.373547:  # trigrams of the fewer
                        if f1 <= 0.3875:  # share of the longer
                            bound += 0.489663
                        else:
                            bound += 0.150338
                    else:
                        if f10 <= 0.458896:  # trigrams of the fewer
                            bound += -0.0231397
                        else:
                            if f10 <= 0.520417:  # trigrams of the fewer
                                bound += 0.193335
                            else:
                                bound += -0.0231397
    if f27 <= 0.55:  # leads' shared tokens
        if f30 <= 0.05:  # headline in the other's lead
            if f13 <= 0.5:  # a number on one side only
                if f11 <= 0.328079:  # trigrams of all
                    bound += 0.0804284
                else:
                    bound += -0.0508488
            else:
                bound += 0.155697
        else:
            if f1 <= 0.211111:  # share of the longer
                if f10 <= 0.183503:  # trigrams of the fewer
                    bound += -0.0440861
                else:
                    bound += 0.228938
            else:
                bound += -0.021651
    else:
        if f0 <= 0.738636:  # share of the shorter
            bound += 0.256836
        else:
            bound += 0.0622775
    if f1 <= 0.211111:  # share of the longer
        if f9 <= 0.65:  # shorter length
            if f0 <= 0.366667:  # share of the shorter
                if f30 <= 0.472222:  # headline in the other's lead
                    if f5 <= 0.35:  # tokens apart
                        bound += 0.202756
                    else:
                        bound += 0.222921
                else:
                    if f5 <= 0.35:  # tokens apart
                        bound += 0.202756
                    else:
                        bound += 0.222921
            else:
                if f5 <= 0.35:  # tokens apart
                    bound += 0.202756
                else:
                    bound += 0.222921
        else:
            if f11 <= 0.426078:  # trigrams of all
                bound += 0.33916
            else:
                bound += 0.231554
    else:
        if f9 <= 0.65:  # shorter length
            if f0 <= 0.366667:  # share of the shorter
                if f30 <= 0.472222:  # headline in the other's lead
                    if f1 <= 0.6125:  # share of the longer
                        if f5 <= 0.35:  # tokens apart
                            bound += 0.174354
                        else:
                            bound += 0.222921
                    else:
                        if f5 <= 0.35:  # tokens apart
                            bound += 0.174354
                        else:
                            bound += 0.222921
                else:
                    if f5 <= 0.35:  # tokens apart
                        bound += 0.174354
                    else:
                        bound += 0.222921
            else:
                if f5 <= 0.35:  # tokens apart
                    bound += 0.174354
                else:
                    bound += 0.222921
        else:
            if f11 <= 0.426078:  # trigrams of all
                bound += 0.33916
            else:
                bound += 0.231554
    if f5 <= 0.25:  # tokens apart
        if f0 <= 0.585714:  # share of the shorter
            if f13 <= 0.5:  # a number on one side only
                if f11 <= 0.192113:  # trigrams of all
                    if f10 <= 0.293611:  # trigrams of the fewer
                        if f10 <= 0.292893:  # trigrams of the fewer
                            bound += 0.141351
                        else:
                            bound += 0.0327622
                    else:
                        bound += 0.369673
                else:
                    if f11 <= 0.271005:  # trigrams of all
                        if f10 <= 0.292893:  # trigrams of the fewer
                            bound += 0.141351
                        else:
                            bound += 0.0326362
                    else:
                        if f10 <= 0.292893:  # trigrams of the fewer
                            bound += 0.141351
                        else:
                            bound += 0.0326362
            else:
                if f11 <= 0.192113:  # trigrams of all
                    if f10 <= 0.293611:  # trigrams of the fewer
                        if f10 <= 0.292893:  # trigrams of the fewer
                            bound += 0.141351
                        else:
                            bound += 0.0327622
                    else:
                        bound += 0.369673
                else:
                    if f10 <= 0.292893:  # trigrams of the fewer
                        bound += 0.141351
                    else:
                        bound += 0.0326362
        else:
            if f11 <= 0.41855:  # trigrams of all
                if f11 <= 0.192113:  # trigrams of all
                    if f10 <= 0.293611:  # trigrams of the fewer
                        bound += 0.189144
                    else:
                        bound += 0.369673
                else:
                    bound += 0.189144
            else:
                if f13 <= 0.5:  # a number on one side only
                    if f10 <= 0.292893:  # trigrams of the fewer
                        bound += 0.141351
                    else:
                        bound += 0.0326362
                else:
                    if f10 <= 0.292893:  # trigrams of the fewer
                        bound += 0.141351
                    else:
                        bound += 0.0326362
    else:
        if f1 <= 0.267857:  # share of the longer
            if f0 <= 0.585714:  # share of the shorter
                if f11 <= 0.192113:  # trigrams of all
                    if f10 <= 0.293611:  # trigrams of the fewer
                        if f10 <= 0.292893:  # trigrams of the fewer
                            if f5 <= 0.95:  # tokens apart
                                bound += 0.141351
                            else:
                                bound += 0.0327622
                        else:
                            bound += 0.0327622
                    else:
                        bound += 0.369673
                else:
                    if f10 <= 0.292893:  # trigrams of the fewer
                        if f5 <= 0.95:  # tokens apart
                            bound += 0.141351
                        else:
                            bound += 0.0326362
                    else:
                        bound += 0.0326362
            else:
                if f11 <= 0.41855:  # trigrams of all
                    if f11 <= 0.192113:  # trigrams of all
                        if f10 <= 0.293611:  # trigrams of the fewer
                            bound += 0.189144
                        else:
                            bound += 0.369673
                    else:
                        bound += 0.189144
                else:
                    if f10 <= 0.292893:  # trigrams of the fewer
                        if f5 <= 0.95:  # tokens apart
                            bound += 0.141351
                        else:
                            bound += 0.0326362
                    else:
                        bound += 0.0326362
        else:
            if f11 <= 0.192113:  # trigrams of all
                if f10 <= 0.293611:  # trigrams of the fewer
                    bound += 0.222352
                else:
                    bound += 0.369673
            else:
                bound += 0.222352
    if f6 <= 0.166667:  # fewest apart
        if f11 <= 0.610799:  # trigrams of all
            bound += 0.215237
        else:
            if f11 <= 0.649004:  # trigrams of all
                bound += -0.18876
            else:
                if f2 <= 0.75:  # shared tokens
                    bound += -0.0358215
                else:
                    bound += 0.158666
    else:
        if f11 <= 0.637331:  # trigrams of all
            if f12 <= 0.5:  # a number shared
                if f1 <= 0.211111:  # share of the longer
                    bound += 0.123792
                else:
                    if f11 <= 0.140682:  # trigrams of all
                        bound += -0.0100836
                    else:
                        bound += -0.0336344
            else:
                if f10 <= 0.224319:  # trigrams of the fewer
                    if f11 <= 0.140682:  # trigrams of all
                        bound += -0.0100836
                    else:
                        bound += -0.170404
                else:
                    bound += 0.154268
        else:
            if f9 <= 0.75:  # shorter length
                bound += -0.232457
            else:
                bound += -0.0394073
    if f31 <= 0.5:  # french
        if f6 <= 0.5:  # fewest apart
            if f11 <= 0.206223:  # trigrams of all
                if f2 <= 0.583333:  # shared tokens
                    if f0 <= 0.414286:  # share of the shorter
                        if f11 <= 0.154243:  # trigrams of all
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                    else:
                        bound += 0.230503
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.145112
                        else:
                            bound += 0.210417
                    else:
                        if f2 <= 0.75:  # shared tokens
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
            else:
                if f2 <= 0.583333:  # shared tokens
                    if f0 <= 0.414286:  # share of the shorter
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.0995858
                        else:
                            bound += 0.210417
                    else:
                        bound += 0.230503
                else:
                    if f2 <= 0.75:  # shared tokens
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.0995858
                        else:
                            bound += 0.210417
                    else:
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.0995858
                        else:
                            bound += 0.210417
        else:
            if f11 <= 0.206223:  # trigrams of all
                if f2 <= 0.583333:  # shared tokens
                    if f0 <= 0.414286:  # share of the shorter
                        if f11 <= 0.154243:  # trigrams of all
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                    else:
                        bound += 0.230503
                else:
                    if f11 <= 0.154243:  # trigrams of all
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.145112
                        else:
                            bound += 0.210417
                    else:
                        if f2 <= 0.75:  # shared tokens
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.145112
                            else:
                                bound += 0.210417
            else:
                if f2 <= 0.583333:  # shared tokens
                    if f0 <= 0.414286:  # share of the shorter
                        if f5 <= 0.45:  # tokens apart
                            bound += -0.0199978
                        else:
                            bound += 0.210417
                    else:
                        bound += 0.230503
                else:
                    if f1 <= 0.645833:  # share of the longer
                        if f2 <= 0.75:  # shared tokens
                            if f5 <= 0.45:  # tokens apart
                                bound += -0.073955
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += -0.0230949
                            else:
                                bound += 0.210417
                    else:
                        if f2 <= 0.75:  # shared tokens
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.0411669
                            else:
                                bound += 0.210417
                        else:
                            if f5 <= 0.45:  # tokens apart
                                bound += 0.0411669
                            else:
                                bound += 0.210417
    else:
        if f11 <= 0.514955:  # trigrams of all
            bound += 0.294307
        else:
            if f1 <= 0.354167:  # share of the longer
                bound += 0.2281
            else:
                if f0 <= 0.816667:  # share of the shorter
                    if f2 <= 0.75:  # shared tokens
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.067021
                        else:
                            bound += 0.210417
                    else:
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.067021
                        else:
                            bound += 0.210417
                else:
                    if f2 <= 0.75:  # shared tokens
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.139248
                        else:
                            bound += 0.210417
                    else:
                        if f5 <= 0.45:  # tokens apart
                            bound += 0.139248
                        else:
                            bound += 0.210417
    bound += 0.318837
    if f30 <= 0.05:  # headline in the other's lead
        if f10 <= 0.186773:  # trigrams of the fewer
            if f0 <= 0.366667:  # share of the shorter
                bound += -0.0274986
            else:
                bound += -0.0486096
        else:
            if f11 <= 0.106525:  # trigrams of all
                if f1 <= 0.267857:  # share of the longer
                    if f0 <= 0.366667:  # share of the shorter
                        bound += -0.0274986
                    else:
                        bound += -0.0290102
                else:
                    bound += 0.407056
            else:
                if f10 <= 0.230139:  # trigrams of the fewer
                    if f0 <= 0.366667:  # share of the shorter
                        bound += -0.0274986
                    else:
                        bound += -0.203637
                else:
                    bound += 0.0215692
    else:
        if f26 <= 0.269697:  # leads' share
            if f0 <= 0.225:  # share of the shorter
                bound += -0.0274986
            else:
                if f0 <= 0.366667:  # share of the shorter
                    bound += -0.0274986
                else:
                    bound += -0.221361
        else:
            if f10 <= 0.673333:  # trigrams of the fewer
                if f30 <= 0.763889:  # headline in the other's lead
                    bound += 0.030261
                else:
                    bound += 0.230696
            else:
                if f0 <= 0.366667:  # share of the shorter
                    bound += -0.0274986
                else:
                    bound += -0.220297
    if f1 <= 0.211111:  # share of the longer
        if f10 <= 0.275253:  # trigrams of the fewer
            if f30 <= 0.464286:  # headline in the other's lead
                bound += 0.0591824
            else:
                if f27 <= 0.55:  # leads' shared tokens
                    bound += 0.158933
                else:
                    bound += 0.0591824
        else:
            bound += 0.341567
    else:
        if f1 <= 0.279221:  # share of the longer
            bound += 0.103808
        else:
            if f30 <= 0.0555556:  # headline in the other's lead
                if f10 <= 0.318665:  # trigrams of the fewer
                    bound += 0.13608
                else:
                    bound += 0.0591824
            else:
                if f26 <= 0.569444:  # leads' share
                    if f10 <= 0.292893:  # trigrams of the fewer
                        if f1 <= 0.316667:  # share of the longer
                            bound += 0.0591824
                        else:
                            bound += 0.129146
                    else:
                        bound += 0.0591824
                else:
                    bound += 0.176068
    if f10 <= 0.292175:  # trigrams of the fewer
        if f30 <= 0.436508:  # headline in the other's lead
            if f10 <= 0.186773:  # trigrams of the fewer
                if f10 <= 0.12633:  # trigrams of the fewer
                    bound += -0.0709697
                else:
                    bound += -0.212079
            else:
                if f11 <= 0.104409:  # trigrams of all
                    bound += 0.145061
                else:
                    bound += -0.113955
        else:
            bound += 0.185871
    else:
        if f10 <= 0.318665:  # trigrams of the fewer
            if f11 <= 0.169746:  # trigrams of all
                bound += 0.607199
            else:
                bound += 0.0046317
        else:
            if f10 <= 0.401754:  # trigrams of the fewer
                if f10 <= 0.387426:  # trigrams of the fewer
                    bound += -0.0551843
                else:
                    bound += -0.212079
            else:
                if f10 <= 0.421637:  # trigrams of the fewer
                    bound += 0.29319
                else:
                    bound += 0.00229448
    if f10 <= 0.186773:  # trigrams of the fewer
        if f27 <= 0.45:  # leads' shared tokens
            bound += -0.0284179
        else:
            bound += 0.159531
    else:
        if f10 <= 0.192928:  # trigrams of the fewer
            bound += 0.232245
        else:
            bound += 0.0135415
    if f11 <= 0.447565:  # trigrams of all
        if f2 <= 0.75:  # shared tokens
            if f30 <= 0.763889:  # headline in the other's lead
                if f13 <= 0.5:  # a number on one side only
                    if f11 <= 0.347382:  # trigrams of all
                        bound += 0.0225711
                    else:
                        bound += -0.131304
                else:
                    if f5 <= 0.65:  # tokens apart
                        bound += 0.161902
                    else:
                        bound += -0.116395
            else:
                bound += 0.199644
        else:
            if f1 <= 0.645833:  # share of the longer
                if f11 <= 0.411362:  # trigrams of all
                    bound += 0.188847
                else:
                    bound += -0.0559946
            else:
                bound += 0.229987
    else:
        if f1 <= 0.763889:  # share of the longer
            if f1 <= 0.6125:  # share of the longer
                if f1 <= 0.585714:  # share of the longer
                    bound += -0.0897797
                else:
                    bound += 0.144982
            else:
                if f10 <= 0.870266:  # trigrams of the fewer
                    bound += -0.0385553
                else:
                    if f9 <= 0.55:  # shorter length
                        bound += -0.0383899
                    else:
                        bound += 0.0717486
        else:
            if f11 <= 0.632863:  # trigrams of all
                if f10 <= 0.739936:  # trigrams of the fewer
                    bound += 0.0733603
                else:
                    bound += 0.210366
            else:
                if f0 <= 0.881944:  # share of the shorter
                    bound += -0.231972
                else:
                    bound += 0.140313
    if f1 <= 0.309524:  # share of the longer
        if f10 <= 0.258343:  # trigrams of the fewer
            if f11 <= 0.154243:  # trigrams of all
                if f5 <= 0.45:  # tokens apart
                    bound += 0.0418189
                else:
                    bound += 0.190565
            else:
                if f11 <= 0.248596:  # trigrams of all
                    if f5 <= 0.45:  # tokens apart
                        bound += 0.0418189
                    else:
                        bound += 0.190565
                else:
                    if f5 <= 0.45:  # tokens apart
                        bound += 0.0418189
                    else:
                        bound += 0.190565
        else:
            bound += 0.245661
    else:
        if f11 <= 0.154243:  # trigrams of all
            if f5 <= 0.45:  # tokens apart
                bound += 0.0418189
            else:
                bound += 0.190565
        else:
            if f11 <= 0.248596:  # trigrams of all
                if f5 <= 0.45:  # tokens apart
                    bound += 0.0418189
                else:
                    bound += 0.190565
            else:
                if f5 <= 0.45:  # tokens apart
                    bound += 0.0418189
                else:
                    bound += 0.190565
    return bound
